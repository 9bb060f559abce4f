import { metadataField } from '../patch/schema.ts';
import { AGE, age, col, keyCount, NAME, nameOf, type TablePrinter } from '../printers.ts';
import type { KindStrategy } from './strategy.ts';

/** printers.go configMapColumnDefinitions / printConfigMap: data and binaryData keys together. */
const CONFIG_MAP_TABLE: TablePrinter = {
  columns: [
    NAME,
    // ConfigMap{}.SwaggerDoc()["data"] (k8s.io/api 1.32)
    col('Data', 'string', "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
    AGE,
  ],
  print: (o, now) => ({ cells: [nameOf(o), keyCount(o.data) + keyCount(o.binaryData), age(o, now)] }),
};

export const configMap: KindStrategy = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  table: CONFIG_MAP_TABLE,
  // The body is plain maps: only metadata has merge semantics.
  patchSchema: { name: 'ConfigMap', fields: { metadata: metadataField } },
};
