import { registerHelp } from './help.js';
import { writeFileSync } from 'node:fs';
import { parseCommandArgs } from './args.js';
import { signAgreement } from '../maintain/agreement-sign.js';
import { pinnedAgreementSigners } from '../trust/agreement-load.js';
import { isAgreementJws, readAgreementJws, verifyAgreementSignatures } from '../trust/agreement-jws.js';
import { parseAgreementJson } from '../trust/agreements.js';
import { agreementSignerArg } from './agreement-signer-arg.js';
import { UsageError } from './errors.js';
import { parseTime, readFile } from './io.js';
import { pemKeySigner } from './key-signer.js';

registerHelp('agreement', {
  summary: 'sign and check bilateral agreements (JWS, one signature per party)',
  text: `Usage: ots-esig agreement <sign|verify> [flags]

  sign <agreement.json> --key KEY.pem --cert CERT.pem -o <signed.json> [--signing-time ISO-8601]
        adds this party's signature (JWS general JSON serialisation over the agreement's exact bytes)
  verify <signed.json> --signer [CC=]CERT... [--format text|json]
        checks each party's signature against the certificates given for it (never those in the file)

verify --agreement FILE --agreement-signer [CC=]CERT uses only agreements every party signed.`,
});



/** `ots-esig agreement sign|verify ...`: a party's operator signs a bilateral agreement; anyone checks both signatures. */
export async function runAgreement(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'sign') return runSign(rest);
  if (sub === 'verify') return runVerifyAgreement(rest);
  throw new UsageError(sub ? `unknown agreement command "${sub}" (sign or verify)` : 'agreement needs a command: sign or verify');
}

async function runSign(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('agreement sign', args, { output: { type: 'string', short: 'o' }, key: { type: 'string' }, cert: { type: 'string' }, 'signing-time': { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('agreement sign takes exactly one agreement file');
  if (!values.output || !values.key || !values.cert) throw new UsageError('agreement sign needs --key KEY.pem --cert CERT.pem -o SIGNED.json');
  const signer = pemKeySigner(readFile(values.key, 'private key'), readFile(values.cert, 'certificate'));
  const time = values['signing-time'] ? parseTime(values['signing-time'], '--signing-time') : new Date();
  const out = await signAgreement(readFile(positionals[0]!, 'agreement'), signer, { signingTime: time });
  writeFileSync(values.output, out);
  process.stdout.write(`${values.output}: ${JSON.parse(out).signatures.length} signature(s)\n`);
  return 0;
}

async function runVerifyAgreement(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('agreement verify', args, { signer: { type: 'string', multiple: true }, format: { type: 'string', default: 'text' } });
  if (positionals.length !== 1) throw new UsageError('agreement verify takes exactly one signed agreement file');
  if (!values.signer?.length) throw new UsageError('agreement verify needs --signer [CC=]CERT for the parties (the certificates are never taken from the file)');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json (got "${values.format}")`);
  const file = positionals[0]!;
  const value: unknown = JSON.parse(new TextDecoder().decode(readFile(file, 'agreement')));
  if (!isAgreementJws(value)) {
    process.stdout.write(`${file}: not signed (a bare agreement): nothing authenticates it\n`);
    return 1;
  }
  const { jws, payload } = readAgreementJws(value);
  const agreement = parseAgreementJson(new TextDecoder().decode(payload), file);
  const results = await verifyAgreementSignatures(jws, agreement.parties, pinnedAgreementSigners(values.signer.map(agreementSignerArg)));
  const ok = results.every((r) => r.status === 'VALID');
  if (values.format === 'json') process.stdout.write(JSON.stringify({ file, id: agreement.id, parties: agreement.parties, valid: ok, signatures: results }, null, 2) + '\n');
  else {
    const lines = [`${file}: agreement ${agreement.id} (${agreement.parties.join(', ')}): ${ok ? 'signed by both parties' : 'NOT signed by every party'}`];
    for (const r of results) lines.push(`  ${r.party} ${r.status}: ${r.detail}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return ok ? 0 : 1;
}
