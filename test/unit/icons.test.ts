import * as assert from 'node:assert/strict';
import { decodeDataUri, iconProblem, MAX_ICON_BYTES, pickIcon } from '../../src/core';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`);

describe('server icons', () => {
  it('picks the icon for the theme, then one for any theme, sizes near 32 px first; only data: and https:', () => {
    const icons = [
      { src: 'https://x/dark.png', theme: 'dark', sizes: ['16x16'] },
      { src: 'https://x/any-64.png', sizes: ['64x64'] },
      { src: 'https://x/any-32.png', sizes: ['32x32'] },
      { src: 'http://x/plain-http.png', theme: 'light' },
      { src: 'file:///etc/passwd', theme: 'light' },
      { src: 'https://x/pdf', mimeType: 'application/pdf', theme: 'light' },
    ];
    assert.equal(pickIcon(icons, 'dark')?.src, 'https://x/dark.png');
    assert.equal(pickIcon(icons, 'light')?.src, 'https://x/any-32.png');
    assert.equal(pickIcon(undefined, 'dark'), undefined);
    assert.equal(pickIcon([{ nope: 1 }, 'x'], 'dark'), undefined);
  });

  it('decodes base64 and URL-encoded data URIs', () => {
    assert.deepEqual(decodeDataUri(`data:image/png;base64,${PNG.toString('base64')}`), { mimeType: 'image/png', bytes: PNG });
    assert.equal(decodeDataUri('data:image/svg+xml,%3Csvg%3E')?.bytes.toString(), '<svg>');
    assert.equal(decodeDataUri('https://x'), undefined);
  });

  it('accepts real images and refuses anything that could run or reach out', () => {
    assert.equal(iconProblem(PNG, 'image/png'), undefined);
    assert.match(iconProblem(Buffer.from('GIF89a'), 'image/png')!, /not a PNG image/);
    assert.match(iconProblem(PNG, 'text/html')!, /not an image type/);
    assert.match(iconProblem(Buffer.alloc(MAX_ICON_BYTES + 1, 1), 'image/png')!, /at most/);
    assert.equal(iconProblem(svg('<circle r="4"/><use href="#a"/>'), 'image/svg+xml'), undefined);
    assert.match(iconProblem(svg('<script>alert(1)</script>'), 'image/svg+xml')!, /script/);
    assert.match(iconProblem(svg('<rect onload="x()"/>'), 'image/svg+xml')!, /script or event handlers/);
    assert.match(iconProblem(svg('<foreignObject/>'), 'image/svg+xml')!, /script/);
    assert.match(iconProblem(svg('<image href="https://evil/x.png"/>'), 'image/svg+xml')!, /outside itself/);
    assert.match(iconProblem(svg('<rect style="fill:url(https://evil/a)"/>'), 'image/svg+xml')!, /outside itself/);
    assert.match(iconProblem(Buffer.from('<html/>'), 'image/svg+xml')!, /not an SVG/);
  });
});
