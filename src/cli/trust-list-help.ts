import { registerHelp } from './help.js';

// Help of the `trust-list` commands, kept apart from their code so that commands added there only add an entry here.

/** The trust-list commands, for the error naming them (also what keeps this module in the bundle: it is imported for it). */
export const TRUST_LIST_COMMANDS = ['lint', 'diff', 'from-certs', 'build', 'sign'];

registerHelp('trust-list', {
  summary: 'check, compare, build and sign trusted lists (lint, diff, from-certs, build, sign)',
  text: `Usage: ots-esig trust-list <command> [flags]

Commands:
  lint <list>                 check a list's signature, dates and services (for a scheme operator's CI)
  diff <old> <new>            what changed between two issues of a list
  from-certs <cert>...        build a list in the JSON form from pinned root certificates
  build <source.json>         write the TS 119 612 XML of the next issue from the JSON form
  sign <list.xml>             sign a list (enveloped XAdES-B, or XAdES-T with --tsa, as TS 119 612 requires)

ots-esig trust-list <command> --help shows the flags of each.`,
});

registerHelp('trust-list lint', {
  summary: "check a list's signature, dates and services",
  text: `Usage: ots-esig trust-list lint <list.xml|list.json> [flags]

Checks a trusted list: its signature (with the pinned operator certificate, or with the signer a list of lists
announces for it), its SignatureTimeStamp if any, the TS 119 612 v2 schema structure (elements, order,
cardinality, value types, xml:lang; findings name the element path), sequence number, issue and next-update
dates, each service's identity, status and history, and with --trust-list that the list is signed by a
certificate the list of lists announces for it.

  --pin CERT                  a certificate allowed to sign the list (repeatable)
  --trust-list LOTL           take the list's signer from this list of lists, as verify does (repeatable)
  --list-signer CERT          a certificate allowed to sign the list of lists (repeatable; with --trust-list)
  --at ISO-8601               judge dates at this time (default: now)
  --tsa-anchor CERT           a certificate trusted as a TSA (or as the CA of TSAs) for the list's SignatureTimeStamp
                              (repeatable; without it the time-stamp is checked except for the TSA's trust)
  --crl FILE                  a CRL for the TSA's path (repeatable)
  --warn-days N               warn when NextUpdate is within N days (default 30)
  --format text|json|junit    the findings (default text)
  --online-lists              the list and --trust-list may be https URLs: fetched once, then linted as files
  --list-ca CERT              root certificate(s) the list servers' TLS certificates must chain to
  --list-allow-private        allow loopback/private list hosts; --list-allow-http: plain http (tests, labs)

Exit status: 0 no error finding; 1 an error finding; 2 usage error.`,
});

registerHelp('trust-list diff', {
  summary: 'what changed between two issues of a list',
  text: `Usage: ots-esig trust-list diff <old> <new> [--format text|json|junit]

Compares two issues of a list: services added and removed, status changes, and findings such as a sequence
number that did not increase. Signatures are not checked (that is lint's job).

Exit status: 0 no error finding; 1 an error finding; 2 usage error.`,
});

registerHelp('trust-list build', {
  summary: 'write the TS 119 612 XML of a list from its JSON form',
  text: `Usage: ots-esig trust-list build <source.json> -o <list.xml> [flags]

  --previous OLD.xml          the issue this one follows: the sequence number must increase, dates move forward,
                              territory and type stay, old statuses go into ServiceHistory
  --previous-pin CERT         a certificate the previous issue must be signed with (repeatable)
  --sequence N|next           the TSLSequenceNumber (next: the previous one + 1)
  --issued ISO-8601           ListIssueDateTime (default: now)
  --next-update ISO-8601      NextUpdate`,
});

registerHelp('trust-list sign', {
  summary: 'sign a list (enveloped XAdES-B, or XAdES-T with --tsa)',
  text: `Usage: ots-esig trust-list sign <list.xml> --key KEY.pem --cert CERT.pem -o <signed.xml> [flags]

  --tsa URL                   XAdES-T: time-stamp the signature (SignatureTimeStamp over ds:SignatureValue) at the
                              RFC 3161 TSA at URL (http or https); an answer about other data is refused
  --no-tsa                    XAdES-B, said explicitly (also the default: no network unless asked)
  --signing-time ISO-8601     xades:SigningTime (default: now)

The key (PEM, PKCS#8; RSA or EC P-256/P-384) must belong to the certificate; the signed list (and its time-stamp)
is verified before it is written.`,
});
