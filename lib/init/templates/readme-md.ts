/** `README.md` of the new repo: the plan/apply loop, locally and in a pipeline, and real clusters. */
export function readmeMd(name: string, stack: string): string {
  const fence = '```';
  return `# ${name}

Kubernetes infrastructure as typed TypeScript with kite:
\`stack.ts\` declares the objects, \`kite plan\` shows what would change, \`kite apply\` makes it so.

## The loop

${fence}sh
npm install
npx kite up --detach            # a local control plane (pods run as local processes); state in .kite/
npx kite plan stack.ts          # what apply would do
npx kite apply stack.ts         # confirm, apply in order, wait until ready
kubectl --kubeconfig .kite/kubeconfig get pods -n ${stack}
npx kite destroy stack.ts       # delete what the stack created
npx kite down                   # stop the control plane
${fence}

\`npm run plan\`, \`npm run apply\`, \`npm run up\` and \`npm run validate\` are the same commands.
\`npx kite validate stack.ts\` type-checks the program and checks every object without a cluster;
\`npx kite synth stack.ts\` writes the YAML to \`dist/\`.

The image \`example/hello\` in \`stack.ts\` is mapped to \`app/server.mjs\` by \`kite.images.yaml\`,
so the local control plane runs it. For a real cluster, use an image from your registry.

## Real clusters

Every command that talks to a cluster takes \`--kubeconfig PATH\` (and \`--context NAME\`):

${fence}sh
npx kite plan stack.ts --kubeconfig ~/.kube/config --context staging
${fence}

## In a pipeline

Plan on every pull request (\`--detailed-exitcode\`: exit 0 no changes, 2 changes, 1 an error)
and keep the plan as an artifact; on merge to main, plan again and apply exactly that saved plan
(\`kite apply FILE\` refuses a plan the cluster has moved away from). GitHub Actions,
\`.github/workflows/infra.yml\`, with the kubeconfig in a secret:

${fence}yaml
name: infra
on:
  pull_request:
  push:
    branches: [main]

jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 22 }
      - run: npm ci
      - run: echo "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"
        env: { KUBECONFIG_DATA: \${{ secrets.KUBECONFIG }} }
      - id: plan
        run: |
          set +e
          npx kite plan stack.ts --kubeconfig "$RUNNER_TEMP/kubeconfig" --out stack.plan.json --detailed-exitcode
          code=$?
          if [ $code -eq 1 ]; then exit 1; fi
          echo "changes=$([ $code -eq 2 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"
      - uses: actions/upload-artifact@v4
        with: { name: plan, path: stack.plan.json }
    outputs:
      changes: \${{ steps.plan.outputs.changes }}

  apply:
    if: github.event_name == 'push' && needs.plan.outputs.changes == 'true'
    needs: plan
    runs-on: ubuntu-latest
    environment: production          # add required reviewers to approve the plan first
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 22 }
      - run: npm ci
      - uses: actions/download-artifact@v4
        with: { name: plan }
      - run: echo "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"
        env: { KUBECONFIG_DATA: \${{ secrets.KUBECONFIG }} }
      - run: npx kite apply stack.plan.json --yes --kubeconfig "$RUNNER_TEMP/kubeconfig"
${fence}
`;
}
