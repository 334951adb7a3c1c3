/**
 * `list.map(fn)` for arrays that other hot code reads (issue #19, the JIT cost of a batch).
 *
 * V8's Array.prototype.map returns a PACKED array while the function calling it runs in the interpreter or
 * baseline code, and a HOLEY one once TurboFan has inlined the call: the result's map changes when the caller
 * is optimised. Every optimised function that had only seen the other map (a `.length`, a `for of`, a spread or
 * another array method on that array) then deoptimises with "wrong map" and is compiled again. On the
 * verification path that was 15 deopts per isolate over the first 4,000 files, each a recompile of a large
 * function (evaluateSignature five times, ~100 ms each): with array builtins not inlined (a V8 flag) none
 * happened and TurboFan's total time halved. A loop that pushes gives the same kind of array in every tier.
 */
export function mapped<T, U>(list: readonly T[], fn: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < list.length; i++) out.push(fn(list[i]!, i));
  return out;
}
