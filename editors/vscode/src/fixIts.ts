// Verified fix-its in VS Code: the server's oci/fixIts become a CodeLens over the error line ("✓ Add using
// System.Text — builds, 12/12 tests · Alt+Enter to apply"); clicking it or Alt+Enter (command oci.editor.acceptFixIt)
// applies the ready edit. A change of the document removes them at once (they are versioned).
import * as vscode from 'vscode';
import { FeatureState, LanguageClient, StaticFeature, WorkspaceEdit } from 'vscode-languageclient/node';
import { FixIt, FixItSet, FixItsParams, lensTitle } from './fixItSet';

const acceptKey = 'Alt+Enter';
const contextKey = 'oci.hasFixIt';

/** Asks the server for oci/fixIts (experimental.ociFixIts). */
export class FixItCapability implements StaticFeature {
  fillClientCapabilities(capabilities: { experimental?: object }): void {
    capabilities.experimental = { ...(capabilities.experimental ?? {}), ociFixIts: true };
  }
  initialize(): void {}
  getState(): FeatureState { return { kind: 'static' }; }
  clear(): void {}
}

export class FixIts implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly set = new FixItSet();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;

  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    this.disposables.push(
      this.changed,
      vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'csharp' }, this),
      vscode.commands.registerCommand('oci.editor.acceptFixIt', (uri?: string, line?: number) => this.accept(uri, line)),
      vscode.workspace.onDidChangeTextDocument(event => {
        if (event.contentChanges.length > 0 && this.set.withdraw(this.uriOf(event.document))) this.refresh();
      }),
      vscode.window.onDidChangeTextEditorSelection(() => this.updateContext()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
    );
  }

  /** Listens to a (re)started client. */
  attach(client: LanguageClient): void {
    this.client = client;
    client.onNotification('oci/fixIts', (params: FixItsParams) => {
      if (this.set.update(params)) this.refresh();
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const uri = this.uriOf(document);
    return this.set.get(uri, document.version).map(fixIt => new vscode.CodeLens(
      new vscode.Range(fixIt.range.start.line, 0, fixIt.range.start.line, 0),
      { title: lensTitle(fixIt, acceptKey), command: 'oci.editor.acceptFixIt', arguments: [uri, fixIt.range.start.line], tooltip: 'Verified by OCI: apply this edit' }));
  }

  /** Applies the fix-it at the line (from the CodeLens) or at/nearest the cursor (the key). */
  async accept(uri?: string, line?: number): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const document = uri ? vscode.workspace.textDocuments.find(d => this.uriOf(d) === uri) : editor?.document;
    if (!document || !this.client) return false;
    const at = line ?? (editor && editor.document === document ? editor.selection.active.line : 0);
    const fixIt: FixIt | undefined = this.set.nearest(this.uriOf(document), document.version, at);
    if (!fixIt) {
      void vscode.window.setStatusBarMessage('OCI: no verified fix-it here (they appear after a pause in typing)', 4000);
      return false;
    }
    const edit = await this.client.protocol2CodeConverter.asWorkspaceEdit(fixIt.edit as WorkspaceEdit);
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) void vscode.window.setStatusBarMessage(`OCI: applied ${fixIt.title}`, 4000);
    return applied;
  }

  private uriOf(document: vscode.TextDocument): string {
    return this.client ? this.client.code2ProtocolConverter.asUri(document.uri) : document.uri.toString();
  }

  private refresh(): void {
    this.changed.fire();
    this.updateContext();
  }

  private updateContext(): void {
    const document = vscode.window.activeTextEditor?.document;
    const has = !!document && this.set.get(this.uriOf(document), document.version).length > 0;
    void vscode.commands.executeCommand('setContext', contextKey, has);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
