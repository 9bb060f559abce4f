import { IndentationText, Project, QuoteKind, VariableDeclarationKind, ts, type SourceFile } from 'ts-morph';
import { quote } from './identifiers.ts';
import { printLiteral } from './literal.ts';
import type { Declaration, ProgramPlan, Scope } from './recognize.ts';

/** The kite program for the plan: imports, shared label consts, the stack, its scopes and constructs; formatted. */
export function emitProgram(plan: ProgramPlan, header: string): string {
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
  const file = project.createSourceFile('stack.ts', '', { overwrite: true });
  file.addImportDeclaration({ moduleSpecifier: 'kite', namedImports: importsOf(plan) });
  for (const l of plan.labels) constant(file, l.name, printLiteral(l.value));
  constant(file, 'stack', `new Stack(${quote(plan.stack)})`);
  for (const scope of plan.scopes) {
    if (scope.namespace === undefined || scope.declarations.length === 0 && !scope.declared) continue;
    const args = scope.declared ? `stack, ${quote(scope.namespace)}${printProps(scope.declared.props)}` : `stack, ${quote(scope.namespace)}`;
    const expression = scope.declared ? `new Namespace(${args})` : `Namespace.existing(${args})`;
    // A namespace holding nothing here is declared without a name (an unused const fails noUnusedLocals).
    if (scope.declarations.length === 0) file.addStatements(`${expression};`);
    else constant(file, scope.varName, expression);
  }
  for (const scope of plan.scopes) for (const d of scope.declarations) declaration(file, scope, d);
  file.addExportAssignment({ isExportEquals: false, expression: 'stack' });
  file.insertText(0, `${header.split('\n').map((l) => `// ${l}`).join('\n')}\n`);
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Insert });
  // ts-morph separates statements of different kinds by blank lines; the program reads better as
  // imports, declarations, export (string literals are escaped, so no literal spans lines).
  return file
    .getFullText()
    .replace(/\n{2,}/g, '\n')
    .replace(/^(import .*\n)/m, '$1\n')
    .replace(/\n(export default)/, '\n\n$1');
}

function importsOf(plan: ProgramPlan): string[] {
  const names = new Set<string>(['Stack']);
  for (const s of plan.scopes) {
    if (s.namespace !== undefined && (s.declared || s.declarations.length > 0)) names.add('Namespace');
    for (const d of s.declarations) names.add(d.construct);
  }
  return [...names].sort();
}

function constant(file: SourceFile, name: string, initializer: string): void {
  file.addVariableStatement({ declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer }] });
}

function printProps(props: Declaration['props']): string {
  const text = printLiteral(props);
  return text === '{}' ? '' : `, ${text}`;
}

function declaration(file: SourceFile, scope: Scope, d: Declaration): void {
  const expression = `new ${d.construct}(${scope.varName}, ${quote(d.id)}${printProps(d.props)})`;
  const expose = (e: Declaration['props']) => `.expose(${printLiteral(e) === '{}' ? '' : printLiteral(e)})`;
  if (d.varName === undefined) {
    // recognize() names an App exposed more than once: expose() returns the Service, not the App.
    file.addStatements(`${expression}${(d.exposes ?? []).map(expose).join('')};`);
    return;
  }
  constant(file, d.varName, expression);
  for (const e of d.exposes ?? []) file.addStatements(`${d.varName}${expose(e)};`);
}
