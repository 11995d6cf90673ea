// The status-bar item: "starting" until the client runs, then what oci/status says (presentStatus), or an error.
import * as vscode from 'vscode';
import { OciStatus, presentStatus } from './status';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('oci.status', vscode.StatusBarAlignment.Right, 100);

  constructor(showOutputCommand: string) {
    this.item.name = 'OCI';
    this.item.command = showOutputCommand;
    this.item.text = '$(loading~spin) OCI: starting';
    this.item.show();
  }

  /** The server's oci/status notification. */
  showStatus(status: OciStatus): void {
    const shown = presentStatus(status);
    this.item.text = shown.text;
    this.item.tooltip = shown.tooltip;
    this.item.backgroundColor = shown.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  /** The client runs; a status the server already sent is kept. */
  showRunning(): void {
    if (!this.item.text.includes('starting')) return;
    this.item.text = '$(check) OCI';
    this.item.tooltip = 'OCI language server running';
  }

  showStopped(): void {
    this.item.text = '$(error) OCI: stopped';
    this.item.tooltip = 'The OCI language server stopped: see the OCI Language Server output.';
  }

  showError(message: string): void {
    this.item.text = '$(error) OCI';
    this.item.tooltip = message;
  }

  dispose(): void {
    this.item.dispose();
  }
}
