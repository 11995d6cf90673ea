// Starting the language client: which server to run (serverCommand), the settings it gets (serverSettings), the
// middleware (section oci answered with server settings only; the instruction a code action's refineSelection
// lacks), fix-its and the status bar fed by the client.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { RefineCommandArguments, needsInstruction, withInstruction } from './commandArguments';
import { refineCommands } from './commandTitles';
import { FixItCapability, FixIts } from './fixIts';
import { RefineCommandResult, askInstruction, reportResult } from './refineCommands';
import { findOnPath, resolveServerCommand } from './serverCommand';
import { nestServerSettings } from './serverSettings';
import { OciStatus } from './status';
import { StatusBar } from './statusBar';

/** What a client needs from the extension. */
export interface ClientParts {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  statusBar: StatusBar;
  fixIts: FixIts;
}

/** A client for the configured server, not started yet; undefined (and the error shown) when there is no server to run. */
export function createClient(parts: ClientParts): LanguageClient | undefined {
  const { context, output, statusBar, fixIts } = parts;
  const configuration = vscode.workspace.getConfiguration('oci');
  const fileExists = (p: string) => { try { return fs.statSync(p).isFile(); } catch { return false; } };
  let server;
  try {
    server = resolveServerCommand({
      configuredPath: configuration.get<string | null>('server.path'),
      extraArgs: configuration.get<string[]>('server.extraArgs') ?? [],
      extensionPath: context.extensionPath,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath),
      builtFromRepository: readBuiltFromRepository(context.extensionPath),
      platform: process.platform,
      fileExists,
      which: name => findOnPath(name, process.env.PATH, process.platform, fileExists),
    });
  } catch (error) {
    showError(parts, (error as Error).message);
    return undefined;
  }
  output.info(`Starting the OCI language server (${server.source}): ${server.command} ${[...server.args, '--stdio'].join(' ')}`);

  const serverSettings = serverSettingsOf(context);
  const serverOptions: ServerOptions = { command: server.command, args: server.args, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'csharp' }],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: serverSettings,
    synchronize: { configurationSection: 'oci' },
    middleware: {
      workspace: {
        // Answer section oci with the server's settings only (no client-only keys).
        configuration: async (params, token, next) => {
          const defaults = await next(params, token);
          if (!Array.isArray(defaults)) return defaults;
          return params.items.map((item, index) => (item.section === 'oci' ? serverSettings() : defaults[index]));
        },
      },
      // Code actions carry oci.refineSelection without the instruction: ask for it here.
      executeCommand: async (command, args, next) => {
        let sent = args;
        if (needsInstruction(command, args)) {
          const instruction = await askInstruction();
          if (instruction === undefined) return undefined;
          sent = [withInstruction(args[0] as RefineCommandArguments, instruction), ...args.slice(1)];
        }
        const result = await next(command, sent);
        if ((refineCommands as readonly string[]).includes(command)) reportResult(output, result as RefineCommandResult | undefined);
        return result;
      },
    },
  };

  const client = new LanguageClient('oci', 'OCI Language Server', serverOptions, clientOptions);
  client.registerFeature(new FixItCapability());
  fixIts.attach(client);
  client.onNotification('oci/status', (status: OciStatus) => statusBar.showStatus(status));
  client.onDidChangeState(change => {
    if (change.newState === State.Running) statusBar.showRunning();
    else if (change.newState === State.Stopped) statusBar.showStopped();
  });
  return client;
}

/** Starts the client; a failure is shown (status bar, log, message), not thrown. */
export async function startClient(client: LanguageClient, parts: ClientParts): Promise<void> {
  try {
    await client.start();
  } catch (error) {
    showError(parts, `The OCI language server failed to start: ${(error as Error).message}`);
  }
}

/** The server's settings (section oci without the client-only keys), nested as the server reads them. */
function serverSettingsOf(context: vscode.ExtensionContext): () => Record<string, unknown> {
  const settingKeys = Object.keys(
    (context.extension.packageJSON as { contributes?: { configuration?: { properties?: object } } })
      .contributes?.configuration?.properties ?? {});
  return () => {
    const configuration = vscode.workspace.getConfiguration();
    return nestServerSettings(settingKeys, key => configuration.get(key));
  };
}

/** The checkout `npm run package` recorded in out/repository.json, or undefined. */
function readBuiltFromRepository(extensionPath: string): string | undefined {
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(extensionPath, 'out', 'repository.json'), 'utf8')) as { repository?: unknown };
    return typeof recorded.repository === 'string' ? recorded.repository : undefined;
  } catch {
    return undefined;
  }
}

function showError({ output, statusBar }: ClientParts, message: string): void {
  output.error(message);
  statusBar.showError(message);
  void vscode.window.showErrorMessage(message, 'Show Output').then(choice => {
    if (choice) output.show(true);
  });
}
