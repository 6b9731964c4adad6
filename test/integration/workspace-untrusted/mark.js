// If this ever runs, the untrusted-workspace tests fail: it leaves evidence next to itself.
require('fs').writeFileSync(require('path').join(__dirname, `spawned-${process.argv[2]}.txt`), String(process.pid));
