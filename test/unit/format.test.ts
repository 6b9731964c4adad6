// The shared formatting helpers (core/format.ts): one style for the CLI, src/ui and the editor.
import * as assert from 'node:assert/strict';
import { firstLine, formatBytes, formatDuration, isObject } from '../../src/core/format';

describe('format', () => {
  it('formatBytes: binary units, one style', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(2048), '2.0 KiB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.00 GiB');
  });

  it('formatDuration: from milliseconds to days', () => {
    assert.equal(formatDuration(12), '12 ms');
    assert.equal(formatDuration(1500), '1.50 s');
    assert.equal(formatDuration(12_340), '12.3 s');
    assert.equal(formatDuration(185_000), '3 min 5 s');
    assert.equal(formatDuration(2 * 3_600_000 + 5 * 60_000), '2 h 5 min');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3 d 4 h');
  });

  it('firstLine: trimmed, optionally cut', () => {
    assert.equal(firstLine('  one  \r\ntwo'), 'one');
    assert.equal(firstLine(undefined), '');
    assert.equal(firstLine('abcdef', 4), 'abc…');
  });

  it('isObject: plain objects only', () => {
    assert.ok(isObject({}));
    assert.ok(!isObject(null) && !isObject([]) && !isObject('x'));
  });
});
