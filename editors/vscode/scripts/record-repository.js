// Records, in the package, the repository this .vsix is built from (out/repository.json), so an installed
// extension can fall back to `dotnet run` of that checkout's server when oci.server.path is not set.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const repository = path.resolve(__dirname, '..', '..', '..');
if (!fs.existsSync(path.join(repository, 'src', 'OCI.LanguageServer', 'OCI.LanguageServer.csproj'))) {
  console.error(`record-repository: ${repository} holds no src/OCI.LanguageServer; nothing recorded`);
  process.exit(0);
}
fs.mkdirSync(path.join(__dirname, '..', 'out'), { recursive: true });
fs.writeFileSync(path.join(__dirname, '..', 'out', 'repository.json'), JSON.stringify({ repository }, null, 2) + '\n');
console.log(`record-repository: ${repository}`);
