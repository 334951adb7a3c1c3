/**
 * The node after `n` in document order among `root` and its descendants, or null once the walk of `root` is done;
 * `intoChildren` false steps over `n`'s subtree. It follows the DOM's own links (firstChild, nextSibling,
 * parentNode): a walk needs no stack or array of the nodes and no recursion, whatever the document's depth.
 */
export function nextInDocumentOrder(n: Node, root: Node, intoChildren = true): Node | null {
  if (intoChildren && n.firstChild) return n.firstChild;
  // The next sibling of the nearest node (n itself or an ancestor below root) that has one.
  for (let c: Node | null = n; c && c !== root; c = c.parentNode) if (c.nextSibling) return c.nextSibling;
  return null;
}
