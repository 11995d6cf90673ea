// The OCI extension: starts the OCI language server over stdio with vscode-languageclient and registers the
// commands package.json contributes. By concern: serverClient (the client and its middleware), refineCommands (a
// palette command → workspace/executeCommand), commandTitles (ids and titles, read from package.json), statusBar
// (oci/status), fixIts (verified fix-its).
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { ContributedCommand, paletteRefineCommands } from './commandTitles';
import { FixIts } from './fixIts';
import { runRefineCommand } from './refineCommands';
import { ClientParts, createClient, startClient } from './serverClient';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('OCI Language Server', { log: true });
  const statusBar = new StatusBar('oci.editor.showOutput');
  const fixIts = new FixIts();
  context.subscriptions.push(output, statusBar, fixIts);
  const parts: ClientParts = { context, output, statusBar, fixIts };

  const contributed = (context.extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? [];
  for (const { id, command, title } of paletteRefineCommands(contributed)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => runRefineCommand(client, command, title, output)));
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('oci.editor.cancel', async () => {
      if (client?.isRunning()) await client.sendRequest(ExecuteCommandRequest.type, { command: 'oci.cancel', arguments: [] });
    }),
    vscode.commands.registerCommand('oci.editor.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('oci.editor.restartServer', async () => {
      await client?.stop().catch(() => undefined);
      await start(parts);
    }),
  );

  await start(parts);
}

async function start(parts: ClientParts): Promise<void> {
  client = createClient(parts);
  if (client) await startClient(client, parts);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
