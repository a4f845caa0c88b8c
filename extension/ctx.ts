/** Everything the commands need, in one place. */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { InterpreterStatus } from '../protocol';
import type { BytecodeDocumentProvider } from './bytecodeDocument';
import type { ServerController } from './client';

export interface Ctx {
  readonly log: vscode.LogOutputChannel;
  readonly server: ServerController;
  readonly listings: BytecodeDocumentProvider;
  /** The started language client (started now if need be); rejects when the server does not start. */
  client(): Promise<LanguageClient>;
  readonly status: InterpreterStatus | undefined;
  /** Fires when the server's interpreter status changes (panels show it). */
  readonly onDidChangeStatus: vscode.Event<InterpreterStatus | undefined>;
  readonly extensionUri: vscode.Uri;
}
