// The OCI extension: starts the OCI language server over stdio with vscode-languageclient, adds the palette and
// context-menu commands, the status-bar item fed by oci/status, and asks for the instruction of "Refine selection".
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind,
} from 'vscode-languageclient/node';
import {
  ArgumentError, EditorDiagnostic, RefineCommand, RefineCommandArguments, buildRefineArguments, needsInstruction,
  withInstruction,
} from './commandArguments';
import { FixItCapability, FixIts } from './fixIts';
import { findOnPath, resolveServerCommand } from './serverCommand';
import { nestServerSettings } from './serverSettings';
import { OciStatus, presentStatus } from './status';

let client: LanguageClient | undefined;

/** What the server answers to a refine command (schemas/command-result.schema.json). */
interface RefineCommandResult {
  applied: boolean;
  verified: boolean;
  summary: string;
  roundsUsed: number;
  stopReason: string;
  conversationId?: string | null;
}

const paletteCommands: Record<string, RefineCommand> = {
  'oci.editor.generate': 'oci.generate',
  'oci.editor.runAndRefine': 'oci.runAndRefine',
  'oci.editor.fixDiagnostic': 'oci.fixDiagnostic',
  'oci.editor.refineSelection': 'oci.refineSelection',
};

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('OCI Language Server', { log: true });
  const statusItem = vscode.window.createStatusBarItem('oci.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'OCI';
  statusItem.command = 'oci.editor.showOutput';
  statusItem.text = '$(loading~spin) OCI: starting';
  statusItem.show();
  const fixIts = new FixIts();
  context.subscriptions.push(output, statusItem, fixIts);

  const settingKeys = Object.keys(
    (context.extension.packageJSON as { contributes?: { configuration?: { properties?: object } } })
      .contributes?.configuration?.properties ?? {});
  const serverSettings = () => {
    const configuration = vscode.workspace.getConfiguration();
    return nestServerSettings(settingKeys, key => configuration.get(key));
  };

  const startClient = async () => {
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
      showError(statusItem, output, (error as Error).message);
      return;
    }
    output.info(`Starting the OCI language server (${server.source}): ${server.command} ${[...server.args, '--stdio'].join(' ')}`);

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
          if (command in refineCommandTitles) reportResult(output, result as RefineCommandResult | undefined);
          return result;
        },
      },
    };

    const languageClient = new LanguageClient('oci', 'OCI Language Server', serverOptions, clientOptions);
    client = languageClient;
    languageClient.registerFeature(new FixItCapability());
    fixIts.attach(languageClient);
    languageClient.onNotification('oci/status', (status: OciStatus) => {
      const shown = presentStatus(status);
      statusItem.text = shown.text;
      statusItem.tooltip = shown.tooltip;
      statusItem.backgroundColor = shown.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    });
    languageClient.onDidChangeState(change => {
      if (change.newState === State.Running && statusItem.text.includes('starting')) {
        statusItem.text = '$(check) OCI';
        statusItem.tooltip = 'OCI language server running';
      } else if (change.newState === State.Stopped) {
        statusItem.text = '$(error) OCI: stopped';
        statusItem.tooltip = 'The OCI language server stopped: see the OCI Language Server output.';
      }
    });
    try {
      await languageClient.start();
    } catch (error) {
      showError(statusItem, output, `The OCI language server failed to start: ${(error as Error).message}`);
    }
  };

  const runRefineCommand = async (command: RefineCommand) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'csharp') {
      void vscode.window.showErrorMessage('OCI: open a C# file first.');
      return;
    }
    if (!client || !client.isRunning()) {
      void vscode.window.showErrorMessage('OCI: the language server is not running (see the OCI Language Server output).');
      return;
    }
    let instruction: string | undefined;
    if (command === 'oci.refineSelection') {
      instruction = await askInstruction();
      if (instruction === undefined) return;
    }
    let args: RefineCommandArguments;
    try {
      args = buildRefineArguments(command, {
        uri: client.code2ProtocolConverter.asUri(editor.document.uri),
        version: editor.document.version,
        selection: toRange(editor.selection),
        diagnostics: vscode.languages.getDiagnostics(editor.document.uri).map(toEditorDiagnostic),
      }, instruction);
    } catch (error) {
      if (error instanceof ArgumentError) {
        void vscode.window.showErrorMessage(`OCI: ${error.message}`);
        return;
      }
      throw error;
    }
    output.info(`${command} ${JSON.stringify(args)}`);
    try {
      const result = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] });
      reportResult(output, result as RefineCommandResult | undefined);
    } catch (error) {
      void vscode.window.showErrorMessage(`OCI ${refineCommandTitles[command]} failed: ${(error as Error).message}`);
    }
  };

  for (const [id, command] of Object.entries(paletteCommands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => runRefineCommand(command)));
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('oci.editor.cancel', async () => {
      if (client?.isRunning()) await client.sendRequest(ExecuteCommandRequest.type, { command: 'oci.cancel', arguments: [] });
    }),
    vscode.commands.registerCommand('oci.editor.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('oci.editor.restartServer', async () => {
      if (client) {
        await client.stop().catch(() => undefined);
        client = undefined;
      }
      await startClient();
    }),
  );

  await startClient();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

const refineCommandTitles: Record<string, string> = {
  'oci.generate': 'Generate',
  'oci.runAndRefine': 'Run & Refine',
  'oci.fixDiagnostic': 'Fix Diagnostic',
  'oci.refineSelection': 'Refine Selection',
};

async function askInstruction(): Promise<string | undefined> {
  const instruction = await vscode.window.showInputBox({
    title: 'OCI: Refine Selection',
    prompt: 'What should change in the selection?',
    placeHolder: 'e.g. use a loop instead of LINQ',
    ignoreFocusOut: true,
    validateInput: value => (value.trim() ? undefined : 'Type an instruction, or press Escape to cancel.'),
  });
  return instruction?.trim() || undefined;
}

/** The server already shows every outcome (window/showMessage), so the result only goes to the log here. */
function reportResult(output: vscode.LogOutputChannel, result: RefineCommandResult | undefined): void {
  if (!result || typeof result.summary !== 'string') return;
  output.info(`result: ${result.stopReason}, applied ${result.applied}, verified ${result.verified}: ${result.summary}`);
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

function showError(statusItem: vscode.StatusBarItem, output: vscode.LogOutputChannel, message: string): void {
  output.error(message);
  statusItem.text = '$(error) OCI';
  statusItem.tooltip = message;
  void vscode.window.showErrorMessage(message, 'Show Output').then(choice => {
    if (choice) output.show(true);
  });
}

function toRange(range: vscode.Range) {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

function toEditorDiagnostic(diagnostic: vscode.Diagnostic): EditorDiagnostic {
  return {
    range: toRange(diagnostic.range),
    severity: diagnostic.severity,
    code: diagnostic.code as EditorDiagnostic['code'],
  };
}
