/**
 * Stylelint for the pages' stylesheets (webview/**\/*.css): the standard
 * config, with one rule relaxed.
 * @type {import('stylelint').Config}
 */
export default {
  extends: ['stylelint-config-standard'],
  rules: {
    // Ours are kebab-case (--pi-row-height); VS Code names its theme variables after its
    // camelCase colour ids (--vscode-editorWidget-background), and we read those as they are.
    'custom-property-pattern': [
      '^(vscode-[A-Za-z0-9-]+|[a-z][a-z0-9]*(-[a-z0-9]+)*)$',
      { message: (name) => `Expected custom property name "${name}" to be kebab-case (or one of VS Code's --vscode-* variables)` },
    ],
  },
};
