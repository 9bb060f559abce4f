import { metadataField } from '../patch/schema.ts';
import { AGE, age, col, keyCount, NAME, nameOf, type TablePrinter } from '../printers.ts';
import { str, type KindStrategy } from './strategy.ts';

/** printers.go secretColumnDefinitions / printSecret (stringData is already merged into data). */
const SECRET_TABLE: TablePrinter = {
  columns: [
    NAME,
    // Secret{}.SwaggerDoc()["type"], ["data"] (k8s.io/api 1.32)
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    col('Data', 'string', "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    AGE,
  ],
  print: (o, now) => ({ cells: [nameOf(o), str(o.type), keyCount(o.data), age(o, now)] }),
};

export const secret: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Secret',
  table: SECRET_TABLE,
  fieldLabels: { labels: ['type', 'metadata.namespace', 'metadata.name'] },
  selectableFields: (o) => ({ type: str(o.type) }),
  // The body is plain maps: only metadata has merge semantics.
  patchSchema: { name: 'Secret', fields: { metadata: metadataField } },
};
