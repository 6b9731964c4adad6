// The tool details view (selecting a tool in the tree) and the launch-consent text: pure parts.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { destructiveQuestion, isDestructive, toolDetailsHeader } from '../../src/ui/toolCall/toolDetails';
import { renderFormHtml, type FormState } from '../../src/ui/toolCall/webviewHtml';
import { ALLOW, ALLOW_ALWAYS, allowAllLabel, describeLaunch, displayPath } from '../../src/ui/consent/launchText';
import { definition } from './helpers';

describe('destructive tools', () => {
  it('are the ones declared destructive and not read-only; no annotations is not destructive', () => {
    assert.equal(isDestructive({ annotations: { destructiveHint: true } }), true);
    assert.equal(isDestructive({ annotations: { destructiveHint: true, readOnlyHint: true } }), false);
    assert.equal(isDestructive({ annotations: { destructiveHint: false } }), false);
    assert.equal(isDestructive({}), false, 'the spec default (true) is not taken as a declaration');
    assert.equal(isDestructive(undefined), false);
    assert.equal(isDestructive({ annotations: 'junk' }), false);
  });

  it('are confirmed with the server, the title and the arguments, cut when long', () => {
    const q = destructiveQuestion('db', { name: 'drop', title: 'Drop Table', annotations: { destructiveHint: true } }, { table: 'users' });
    assert.equal(q.message, 'Call "Drop Table" on the MCP server "db"?');
    assert.match(q.detail, /may delete or overwrite data\. It would be called with arguments \{"table":"users"\}\./);
    assert.match(q.detail, /mcpManager\.confirmDestructiveTools/);
    assert.match(destructiveQuestion('db', { name: 'wipe' }, {}).detail, /called with no arguments/);
    const long = destructiveQuestion('db', { name: 'wipe' }, { text: 'x'.repeat(1000) }).detail;
    assert.ok(long.length < 600 && long.includes('...'), long);
  });
});

describe('tool details header', () => {
  it('names only the hints the server set, and warns for destructive tools', () => {
    assert.deepEqual(toolDetailsHeader({ name: 'x' }), { title: undefined, badges: [], warning: undefined });
    const h = toolDetailsHeader({
      name: 'rm',
      title: 'Remove',
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    });
    assert.equal(h.title, 'Remove');
    assert.deepEqual(h.badges, ['destructive', 'not idempotent', 'open world']);
    assert.match(h.warning ?? '', /may delete or overwrite data.*Nothing runs until you press Call/);
    assert.deepEqual(toolDetailsHeader({ name: 'ls', annotations: { title: 'ls', readOnlyHint: true, destructiveHint: true } }), {
      title: undefined,
      badges: ['read-only', 'destructive'],
      warning: undefined,
    });
    // Junk from a server is ignored, not shown.
    assert.deepEqual(toolDetailsHeader({ name: 'j', annotations: 'nope' }).badges, []);
  });

  it('renders the details page: tool heading, escaped badges, Call/Close, and no JSON editor for no arguments', () => {
    const state: FormState = {
      tool: 'crash',
      server: 'fx',
      mode: 'json',
      jsonOnly: true,
      fields: [],
      raw: {},
      json: '{}',
      noArgs: true,
      details: { badges: ['<b>destructive</b>'], warning: 'careful' },
    };
    const html = renderFormHtml({ nonce: 'N', state, schema: {}, description: 'Exits.' });
    assert.match(html, /<h1><span class="mono">crash<\/span><\/h1>/);
    assert.match(html, /tool of fx/);
    assert.match(html, /<span class="badge">&lt;b&gt;destructive&lt;\/b&gt;<\/span>/);
    assert.match(html, /careful/);
    assert.match(html, /This tool takes no arguments/);
    assert.match(html, /id="mcp-submit" class="primary">Call</);
    assert.match(html, /id="mcp-cancel" class="secondary">Close</);
    assert.match(html, /id="mcp-toggle" class="secondary" hidden/);
    // The plain argument form is unchanged.
    const plain = renderFormHtml({ nonce: 'N', state: { ...state, details: undefined, noArgs: undefined }, schema: {} });
    assert.match(plain, /<h1>Call <span class="mono">crash<\/span> on fx<\/h1>/);
    assert.match(plain, />Call Tool</);
  });
});

describe('launch consent text', () => {
  it('normalises paths and shows the home folder as ~', () => {
    const p = path.posix;
    assert.equal(displayPath('/home/ann/a/./b/../c', '/home/ann', p), '~/a/c');
    assert.equal(displayPath('/home/ann', '/home/ann/', p), '~');
    assert.equal(displayPath('/home/anna/x', '/home/ann', p), '/home/anna/x');
    assert.equal(displayPath('./srv/../index.js', '/home/ann', p), 'index.js');
    assert.equal(displayPath('--flag=a/../b', '/home/ann', p), '--flag=a/../b');
    assert.equal(displayPath('https://example.com/a/../b', '/home/ann', p), 'https://example.com/a/../b');
    assert.equal(displayPath('node', '/home/ann', p), 'node');
  });

  it('says how long each answer lasts, names the inputs asked afterwards and the other servers "Allow All" covers', () => {
    const home = process.env.HOME ?? '/root';
    const def = definition('web', { command: `${home}/bin/./node`, args: [`${home}/srv/../srv/index.js`, '${input:tok}'] });
    const text = describeLaunch(
      def,
      { command: `${home}/bin/./node`, args: [`${home}/srv/../srv/index.js`, '${input:tok}'], cwd: home },
      { home, others: ['db', 'git'] },
    );
    assert.match(text, /Command line:\n~\/bin\/node ~\/srv\/index\.js '\$\{input:tok\}'/);
    assert.match(text, /Working directory: ~\n/);
    assert.match(text, /Asks for \$\{input:tok\} after you allow it/);
    assert.ok(text.includes(`${ALLOW}: this server, until this window is closed or reloaded.`));
    assert.ok(text.includes(`${ALLOW_ALWAYS}: this server, in this workspace, until its command line changes.`));
    assert.ok(text.includes(`${allowAllLabel(3)}: like ${ALLOW_ALWAYS}, for this one and db, git.`));
    assert.doesNotMatch(describeLaunch(def, { command: 'node', args: [] }), /Allow All/);
  });
});
