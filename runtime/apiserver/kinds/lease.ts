import { metadataField } from '../patch/schema.ts';
import { AGE, age, col, NAME, nameOf, type TablePrinter } from '../printers.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

/** printers.go leaseColumnDefinitions / printLease: the holder, empty when none. */
const LEASE_TABLE: TablePrinter = {
  columns: [
    NAME,
    // LeaseSpec{}.SwaggerDoc()["holderIdentity"] (k8s.io/api 1.32)
    col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'),
    AGE,
  ],
  print: (o, now) => ({ cells: [nameOf(o), str(obj(o.spec).holderIdentity), age(o, now)] }),
};

export const lease: KindStrategy = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  table: LEASE_TABLE,
  // leaseStrategy.AllowUnconditionalUpdate (pkg/registry/coordination/lease/strategy.go)
  allowUnconditionalUpdate: false,
  patchSchema: { name: 'Lease', fields: { metadata: metadataField } },
};
