import { metadataField } from '../patch/schema.ts';
import { AGE, age, col, NAME, nameOf, type TablePrinter } from '../printers.ts';
import type { KindStrategy } from './strategy.ts';

/** printers.go serviceAccountColumnDefinitions / printServiceAccount: the count of secrets. */
const SERVICE_ACCOUNT_TABLE: TablePrinter = {
  columns: [
    NAME,
    // ServiceAccount{}.SwaggerDoc()["secrets"] (k8s.io/api 1.32)
    col(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
    ),
    AGE,
  ],
  print: (o, now) => ({ cells: [nameOf(o), Array.isArray(o.secrets) ? o.secrets.length : 0, age(o, now)] }),
};

export const serviceAccount: KindStrategy = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  table: SERVICE_ACCOUNT_TABLE,
  patchSchema: {
    name: 'ServiceAccount',
    // ServiceAccount.secrets: patchStrategy:"merge" patchMergeKey:"name"
    fields: { metadata: metadataField, secrets: { list: 'merge', mergeKey: 'name' } },
  },
};
