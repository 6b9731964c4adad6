// Our command names beside VS Code's own MCP commands (issue 20): every command package.json
// contributes (including ones added later) is checked automatically against the titles VS Code
// registers under its "MCP" category (test/unit/data/vscode-mcp-commands.json, taken from VS Code's
// source for the versions we support).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Command {
  command: string;
  title: string;
  shortTitle?: string;
  category?: string;
}
const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: Command[]; menus: Record<string, { command?: string; when?: string }[]> };
};
const vscodeData = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'vscode-mcp-commands.json'), 'utf8')) as {
  category: string;
  titles: Record<string, string[]>;
};
const commands = pkg.contributes.commands;
const label = (c: Command) => (c.category ? `${c.category}: ${c.title}` : c.title);
/** Command ids whose palette entry is hidden (`"when": "false"` under commandPalette). */
const hiddenInPalette = new Set((pkg.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));

/**
 * Roughly how the command palette filters: every word typed must start a word of the label
 * (VS Code also matches contiguous substrings, which only finds more, never fewer).
 */
function paletteMatches(query: string, text: string): boolean {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}

describe('command names', () => {
  it('the list of VS Code built-in MCP titles covers both supported versions', () => {
    assert.deepEqual(Object.keys(vscodeData.titles).sort(), ['1.100.3', '1.139.1']);
    assert.ok(vscodeData.titles['1.139.1']!.includes('Add Server...'), 'the data file lost "MCP: Add Server..."');
  });

  it('every contributed command is in the category "MCP Manager", with a title that does not repeat it', () => {
    assert.ok(commands.length >= 19, `only ${commands.length} commands found in package.json`);
    for (const c of commands) {
      assert.equal(c.category, 'MCP Manager', `${c.command} ("${c.title}") has category ${JSON.stringify(c.category)}`);
      assert.ok(!/^MCP\b/.test(c.title), `${c.command}: the title "${c.title}" repeats the category`);
      assert.ok(c.command.startsWith('mcpManager.'), `${c.command}: command ids stay in the mcpManager. namespace`);
    }
  });

  it("no palette label of ours equals one of VS Code's built-in MCP commands (1.100 and 1.139)", () => {
    const builtIn = new Map<string, string[]>();
    for (const [version, titles] of Object.entries(vscodeData.titles)) {
      for (const t of titles)
        builtIn.set(`${vscodeData.category}: ${t}`, [...(builtIn.get(`${vscodeData.category}: ${t}`) ?? []), version]);
    }
    const collisions = commands
      .filter((c) => builtIn.has(label(c)))
      .map((c) => `${c.command}: "${label(c)}" is VS Code ${builtIn.get(label(c))!.join(', ')}'s own command`);
    assert.deepEqual(collisions, []);
    // Nor under their category with a bare title (e.g. a command without a category of its own).
    for (const c of commands)
      assert.notEqual(c.category, vscodeData.category, `${c.command} uses VS Code's own category "${vscodeData.category}"`);
  });

  it('no two of our commands share a palette label', () => {
    const seen = new Map<string, string>();
    for (const c of commands) {
      const l = label(c);
      assert.ok(!seen.has(l), `"${l}" is both ${seen.get(l)} and ${c.command}`);
      seen.set(l, c.command);
    }
  });

  it('typing "mcp call" in the palette finds Call Tool and no other command of ours (the history does not compete)', () => {
    const found = commands.filter((c) => !hiddenInPalette.has(c.command) && paletteMatches('mcp call', label(c))).map((c) => c.command);
    assert.deepEqual(found, ['mcpManager.callTool']);
    const history = commands.find((c) => c.command === 'mcpManager.showCallHistory')!;
    assert.ok(paletteMatches('mcp history', label(history)), `"${label(history)}" is found by "mcp history"`);
  });

  it('short titles (menus, toolbar) are short, and titles only say the category once', () => {
    for (const c of commands) {
      if (c.shortTitle)
        assert.ok(c.shortTitle.length < c.title.length && c.shortTitle.length <= 20, `${c.command}: shortTitle "${c.shortTitle}"`);
      assert.ok(c.title.length <= 40, `${c.command}: title "${c.title}" is too long for a menu`);
    }
  });

  it('the ids users may have bound keys to are unchanged', () => {
    const ids = new Set(commands.map((c) => c.command));
    for (const id of [
      'callTool',
      'rerunLastToolCall',
      'showCallHistory',
      'startServer',
      'stopServer',
      'restartServer',
      'showServerLogs',
      'showServers',
      'refresh',
      'openSettings',
      'addServer',
      'readResource',
      'getPrompt',
      'importServers',
      'clearStoredInputs',
      'resetLaunchPermissions',
      'manageWorkspaceTrust',
    ]) {
      assert.ok(ids.has(`mcpManager.${id}`), `mcpManager.${id} is gone`);
    }
  });
});
