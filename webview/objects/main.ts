/** The object inspector panel's bundle: components, then the app and the connection. */
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { mount } from '../shared/mount';
import './app';

mount('pi-objects');
