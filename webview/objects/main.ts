/** The object inspector panel's bundle: components, then the app and the connection. */
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { extensionConnection } from '../shared/messaging';
import type { ObjectsApp } from './app';
import './app';

const app = document.createElement('pi-objects') as ObjectsApp;
document.body.append(app);
app.connect(extensionConnection());
