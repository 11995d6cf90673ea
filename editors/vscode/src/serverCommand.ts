// Where the OCI language server comes from. Pure (file checks are injected) so the order is unit-tested.
import * as path from 'node:path';

/** How to start the server; the client appends --stdio. */
export interface ServerCommand {
  command: string;
  args: string[];
  /** Why this one was chosen, for the output channel. */
  source: 'setting' | 'bundled' | 'path' | 'development';
}

export interface ServerCommandInputs {
  /** oci.server.path, if set. */
  configuredPath?: string | null;
  /** oci.server.extraArgs. */
  extraArgs?: readonly string[];
  /** The extension's install folder (holds server/ when the server is bundled). */
  extensionPath: string;
  /** Open workspace folders (file system paths); one of them may be the OCI repository itself. */
  workspaceFolders: readonly string[];
  /** The checkout the .vsix was packaged from (out/repository.json, written by `npm run package`), if known. */
  builtFromRepository?: string;
  platform: NodeJS.Platform;
  fileExists(filePath: string): boolean;
  /** Finds an executable on PATH; undefined when absent. */
  which(name: string): string | undefined;
}

const projectRelativePath = path.join('src', 'OCI.LanguageServer', 'OCI.LanguageServer.csproj');

/** A .dll runs under the dotnet host; anything else is executed directly. */
export function commandForPath(serverPath: string, extraArgs: readonly string[]): Pick<ServerCommand, 'command' | 'args'> {
  return serverPath.toLowerCase().endsWith('.dll')
    ? { command: 'dotnet', args: [serverPath, ...extraArgs] }
    : { command: serverPath, args: [...extraArgs] };
}

/**
 * Order: the oci.server.path setting; the server bundled in the extension (server/OCI.LanguageServer[.exe|.dll],
 * laid there by `dotnet publish src/OCI.LanguageServer -o editors/vscode/server` before packaging); `oci` on PATH
 * (the dotnet tool); in the repository (development: the workspace, the repository around the extension's folder, or
 * the checkout the .vsix was packaged from) its published server (artifacts/server, scripts/publish-server.sh), else
 * `dotnet run` of its server project.
 */
export function resolveServerCommand(inputs: ServerCommandInputs): ServerCommand {
  const extraArgs = inputs.extraArgs ?? [];
  const configured = inputs.configuredPath?.trim();
  if (configured) {
    return { ...commandForPath(configured, extraArgs), source: 'setting' };
  }

  const bundledFolder = path.join(inputs.extensionPath, 'server');
  const executableName = inputs.platform === 'win32' ? 'OCI.LanguageServer.exe' : 'OCI.LanguageServer';
  for (const candidate of [path.join(bundledFolder, executableName), path.join(bundledFolder, 'OCI.LanguageServer.dll')]) {
    if (inputs.fileExists(candidate)) {
      return { ...commandForPath(candidate, extraArgs), source: 'bundled' };
    }
  }

  const onPath = inputs.which(inputs.platform === 'win32' ? 'oci.exe' : 'oci');
  if (onPath) {
    return { command: onPath, args: [...extraArgs], source: 'path' };
  }

  const repositories = [...inputs.workspaceFolders, path.resolve(inputs.extensionPath, '..', '..')];
  if (inputs.builtFromRepository) repositories.push(inputs.builtFromRepository);
  for (const repository of repositories) {
    // The ReadyToRun publish (bash scripts/publish-server.sh) starts faster than dotnet run of the project.
    const published = path.join(repository, 'artifacts', 'server', executableName);
    if (inputs.fileExists(published)) {
      return { command: published, args: [...extraArgs], source: 'development' };
    }
    const project = path.join(repository, projectRelativePath);
    if (inputs.fileExists(project)) {
      // -v q keeps build chatter off stdout, which is the LSP channel.
      return {
        command: 'dotnet',
        args: ['run', '--project', path.dirname(project), '-v', 'q', '--', ...extraArgs],
        source: 'development',
      };
    }
  }

  throw new Error(
    'OCI language server not found: set oci.server.path to the built OCI.LanguageServer.dll (dotnet build ' +
      'src/OCI.LanguageServer -c Release, then src/OCI.LanguageServer/bin/Release/net10.0/OCI.LanguageServer.dll) ' +
      'or the published executable, install it with `dotnet tool install -g OCI.LanguageServer`, or open the OCI ' +
      'repository for development.');
}

/** Looks an executable up on a PATH string. */
export function findOnPath(
  name: string, pathVariable: string | undefined, platform: NodeJS.Platform, fileExists: (p: string) => boolean,
): string | undefined {
  const separator = platform === 'win32' ? ';' : ':';
  for (const folder of (pathVariable ?? '').split(separator)) {
    if (!folder) continue;
    const candidate = path.join(folder, name);
    if (fileExists(candidate)) return candidate;
  }
  return undefined;
}
