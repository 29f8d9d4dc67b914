// prepack of each published package: the repository's README and LICENSE go into the tarball
// (npm and pnpm take them from the package's own folder; copies there are git-ignored).
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const file of ['README.md', 'LICENSE']) copyFileSync(`${root}${file}`, file);
