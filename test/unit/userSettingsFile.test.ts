// Finding the user settings file from the extension's global storage folder and checking it is
// the file VS Code reads (src/ui/config/userSettingsFile.ts).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { userSettingsFileOf, userSettingsMismatch } from '../../src/ui/config/userSettingsFile';

const ID = 'mcp-manager.mcp-manager';

describe('userSettingsFileOf', () => {
  it('the default profile: User/globalStorage/<id> -> User/settings.json', () => {
    const user = path.join('/home', 'me', '.config', 'Code', 'User');
    assert.equal(userSettingsFileOf(path.join(user, 'globalStorage', ID)), path.join(user, 'settings.json'));
  });

  it('another profile: User/profiles/<p>/globalStorage/<id> -> that profile settings.json', () => {
    const profile = path.join('/home', 'me', '.config', 'Code', 'User', 'profiles', '-6f2a1b');
    assert.equal(userSettingsFileOf(path.join(profile, 'globalStorage', ID)), path.join(profile, 'settings.json'));
  });

  it('a folder of another shape: not known', () => {
    assert.equal(userSettingsFileOf(path.join('/tmp', 'storage', ID)), undefined);
  });
});

describe('userSettingsMismatch', () => {
  const reported = (values: Record<string, unknown>) => (key: string) => values[key];
  const text = `{
  // mine
  "editor.tabSize": 2,
  "mcpManager.servers": { "a": { "url": "http://127.0.0.1:9/a" } }, // a comment
  "[json]": { "editor.tabSize": 4 },
  "someUninstalled.extension": true
}`;

  it('accepts the file whose values VS Code reports as user settings', () => {
    const r = reported({ 'editor.tabSize': 2, 'mcpManager.servers': { a: { url: 'http://127.0.0.1:9/a' } } });
    assert.equal(userSettingsMismatch(text, r), undefined);
  });

  it('our servers must agree, key order aside', () => {
    const r = reported({ 'editor.tabSize': 2, 'mcpManager.servers': { a: { url: 'http://127.0.0.1:9/b' } } });
    assert.match(userSettingsMismatch(text, r)!, /"mcpManager.servers" differs/);
    assert.match(userSettingsMismatch(text, reported({ 'editor.tabSize': 2 }))!, /"mcpManager.servers" differs/);
    const reordered = '{ "editor.tabSize": 2, "mcpManager.inputs": [{ "id": "k", "type": "promptString" }] }';
    const r2 = reported({ 'editor.tabSize': 2, 'mcpManager.inputs': [{ type: 'promptString', id: 'k' }] });
    assert.equal(userSettingsMismatch(reordered, r2), undefined);
  });

  it('another setting reported differently means another file (a remote, a profile sharing settings)', () => {
    const r = reported({ 'editor.tabSize': 8, 'mcpManager.servers': { a: { url: 'http://127.0.0.1:9/a' } } });
    assert.match(userSettingsMismatch(text, r)!, /"editor.tabSize" differs/);
  });

  it('a file with nothing VS Code reports, an empty one or a broken one is not trusted', () => {
    assert.match(userSettingsMismatch('{ "x.y": 1 }', reported({}))!, /none of its settings/);
    assert.match(userSettingsMismatch('', reported({}))!, /empty/);
    assert.match(userSettingsMismatch('[]', reported({}))!, /no settings object/);
    assert.match(userSettingsMismatch('{ "a": ', reported({}))!, /syntax error/);
  });
});
