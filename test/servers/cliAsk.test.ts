// The CLI when the server asks: `node dist/cli.js` as a real child process (stdin not a
// terminal) against the v2 fixture in both eras and server-everything: --elicit, the decline
// without a terminal, --sample-with, --root and the default root (the workspace directory).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERAS, EVERYTHING_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';
import { CLI, runCli } from './runCli';

/** The built CLI in `cwd` (stdin not a terminal). */
const cli = (args: string[], cwd = REPO_ROOT) => runCli(args, { cwd, timeoutMs: 60_000 });

const fixture = (era: string) => ['--stdio', `${JSON.stringify(NODE)} ${JSON.stringify(ERAS.modern)} --era ${era}`];

describe('CLI: when the server asks', function () {
  this.timeout(120_000);
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
  });

  for (const era of ['modern', 'legacy']) {
    describe(`${era} era`, () => {
      it('--elicit accept:JSON answers with the JSON over the form’s defaults', async () => {
        const r = await cli(['call', ...fixture(era), 'ask_form', '--elicit', 'accept:{"name":"Ada","email":"ada@example.com","age":36}']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), {
          action: 'accept',
          content: { age: 36, subscribe: true, size: 's', tags: ['a'], name: 'Ada', email: 'ada@example.com' },
        });
      });

      it('--elicit decline and cancel', async () => {
        for (const action of ['decline', 'cancel']) {
          const r = await cli(['call', ...fixture(era), 'ask_form', '--elicit', action]);
          assert.deepEqual(JSON.parse(r.stdout), { action, content: null });
        }
      });

      it('without a terminal and without --elicit: declines and says so on stderr', async () => {
        const r = await cli(['call', ...fixture(era), 'ask_form']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), { action: 'decline', content: null });
        assert.match(r.stderr, /asked "Tell us about you", but there is no terminal to answer on; declined\. Answer with --elicit/);
      });

      it('an --elicit answer that does not fit the form is declined, naming the fields', async () => {
        const r = await cli(['call', ...fixture(era), 'ask_form', '--elicit', 'accept:{"email":"nope"}']);
        assert.deepEqual(JSON.parse(r.stdout), { action: 'decline', content: null });
        assert.match(r.stderr, /does not fit its form \(name: is required; email: must be an email address/);
      });

      it('--sample-with runs the command with the transcript on stdin; its stdout is the reply', async () => {
        const script =
          'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(process.env.MCPM_SERVER.length+":"+process.env.MCPM_MAX_TOKENS+":"+s.toUpperCase()))';
        const r = await cli([
          'call',
          ...fixture(era),
          'ask_sample',
          '{"prompt":"hello"}',
          '--sample-with',
          `${JSON.stringify(NODE)} -e ${JSON.stringify(script)}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
        const got = JSON.parse(r.stdout) as { text: string; role: string };
        assert.equal(got.role, 'assistant');
        assert.match(got.text, /^\d+:50:\[SYSTEM\]\nBE BRIEF\.\n\n\[USER\]\nHELLO$/);
      });

      it('without --sample-with the server is told sampling is not available here', async () => {
        const r = await cli(['call', ...fixture(era), 'ask_sample', '{"prompt":"x"}']);
        assert.equal(r.code, 1);
        assert.match(r.stdout + r.stderr, /sampling is not available here: mcp-manager was run without --sample-with/);
      });

      it('roots: the workspace directory by default, --root instead', async () => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-roots-'));
        const r = await cli(['call', ...fixture(era), 'ask_roots', '--workspace', ws]);
        assert.deepEqual(JSON.parse(r.stdout).roots, [{ uri: pathToFileURL(ws).href, name: path.basename(ws) }]);
        const other = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-root-'));
        const r2 = await cli(['call', ...fixture(era), 'ask_roots', '--root', other, '--root', ws]);
        assert.deepEqual(
          (JSON.parse(r2.stdout) as { roots: { uri: string }[] }).roots.map((x) => x.uri),
          [pathToFileURL(other).href, pathToFileURL(ws).href],
        );
      });
    });
  }

  it('a bad --elicit is a usage error', async () => {
    const r = await cli(['call', ...fixture('modern'), 'ask_form', '--elicit', 'maybe']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--elicit must be accept, accept:JSON, decline or cancel, got "maybe"/);
  });

  it('server-everything lists its roots, elicitation and sampling tools to the CLI', async () => {
    const r = await cli(['tools', '--stdio', `${JSON.stringify(NODE)} ${JSON.stringify(EVERYTHING_SERVER)} stdio`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((t) => t.name);
    for (const tool of ['get-roots-list', 'trigger-elicitation-request', 'trigger-url-elicitation', 'trigger-sampling-request'])
      assert.ok(names.includes(tool), `${tool} in ${names.join(', ')}`);
  });

  it('server-everything: --sample-with answers trigger-sampling-request', async () => {
    const r = await cli([
      'call',
      '--stdio',
      `${JSON.stringify(NODE)} ${JSON.stringify(EVERYTHING_SERVER)} stdio`,
      'trigger-sampling-request',
      '{"prompt":"What is 6 x 7?"}',
      '--sample-with',
      `${JSON.stringify(NODE)} -e "process.stdout.write('forty-two')"`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /forty-two/);
  });
});
