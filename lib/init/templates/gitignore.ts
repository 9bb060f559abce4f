/** `.gitignore`: installed packages, synthesized YAML, the local control plane's state, saved plans. */
export const GITIGNORE = `node_modules/
dist/
.kite/
*.plan.json
`;
