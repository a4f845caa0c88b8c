/** The import trace panel's bundle: components, the chart, then the app and the connection. */
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import './flame';
import { mount } from '../shared/mount';
import './app';

mount('pi-imports');
