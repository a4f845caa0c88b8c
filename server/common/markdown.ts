/** Text that Markdown (a hover) shows as it is. `keepCode`: backticks stay, so `names` in our own wording still read as code. */
export function escapeMarkdown(text: string, keepCode = false): string {
  return text.replace(keepCode ? /[\\*_{}[\]<>#|]/g : /[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}
