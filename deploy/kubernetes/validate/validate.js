#!/usr/bin/env node
// Validates Kubernetes manifests offline against the Kubernetes API's schemas, in two passes:
//
//  1. JSON schema: every document against the schema of its apiVersion and kind, generated from
//     Kubernetes' OpenAPI document, as kubernetes-models ships it compiled for Ajv (types, formats
//     such as int32 and int-or-string, required fields, enums).
//  2. Unknown fields: those schemas allow properties they do not list (as the API server's
//     non-strict decoding does), so a misspelt key such as `livenesProbe` would pass. Every document
//     is type-checked by the TypeScript compiler as an object literal of its type from
//     kubernetes-types (generated from the Kubernetes 1.30 OpenAPI document), which refuses
//     properties a type does not declare, like `kubectl apply --validate=strict` does.
//
// Usage: node validate.js FILE_OR_DIR...   (a directory: its *.yaml and *.yml, not recursive)
// Exit status: 0 all valid; 1 a document is invalid (each problem on one line); 2 bad usage.
// Nothing is fetched: the schemas come from the packages of package-lock.json (npm ci).
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const ts = require('typescript');

const HERE = __dirname;

function usage(message) {
  process.stderr.write(`validate.js: ${message}\nUsage: node validate.js FILE_OR_DIR...\n`);
  process.exit(2);
}

function yamlFiles(args) {
  const files = [];
  for (const arg of args) {
    let stat;
    try {
      stat = fs.statSync(arg);
    } catch (e) {
      usage(`no such file or directory: ${arg}`);
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(arg).sort()) {
        if (/\.ya?ml$/.test(name) && fs.statSync(path.join(arg, name)).isFile()) {
          files.push(path.join(arg, name));
        }
      }
    } else {
      files.push(arg);
    }
  }
  return files;
}

// "apps/v1" -> ["apps", "v1"]; "v1" -> ["", "v1"]; "networking.k8s.io/v1" -> ["networking.k8s.io", "v1"]
function splitApiVersion(apiVersion) {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

// kubernetes-models: one module per group and version, exporting a class per kind
function modelFor(apiVersion, kind) {
  const [group, version] = splitApiVersion(apiVersion);
  const module = group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
  let exports;
  try {
    exports = require(module);
  } catch (e) {
    return null;
  }
  return typeof exports[kind] === 'function' ? exports[kind] : null;
}

// kubernetes-types: core/v1, apps/v1, networking/v1 (the group without ".k8s.io")
function typesModuleFor(apiVersion, kind) {
  const [group, version] = splitApiVersion(apiVersion);
  const dir = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  const module = `kubernetes-types/${dir}/${version}`;
  let file;
  try {
    file = require.resolve(`${module}.d.ts`, { paths: [HERE] });
  } catch (e) {
    return null;
  }
  return new RegExp(`export interface ${kind} \\{`).test(fs.readFileSync(file, 'utf8')) ? module : null;
}

function describe(doc) {
  const name = doc && doc.metadata && doc.metadata.name ? doc.metadata.name : '(no name)';
  return `${doc && doc.kind ? doc.kind : '(no kind)'}/${name}`;
}

function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
    usage('name the manifests to check');
  }
  const files = yamlFiles(args);
  if (files.length === 0) {
    usage(`no *.yaml files in ${args.join(' ')}`);
  }
  const problems = [];
  const typed = []; // {where, module, kind, doc}
  let documents = 0;

  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    // uniqueKeys: a key given twice is an error (YAML 1.2), not the last one silently winning
    const parsed = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
    parsed.forEach((document, index) => {
      const where = `${file}#${index + 1}`;
      for (const error of document.errors) {
        problems.push(`${where}: YAML: ${error.message.split('\n')[0]}`);
      }
      for (const warning of document.warnings) {
        problems.push(`${where}: YAML: ${warning.message.split('\n')[0]}`);
      }
      if (document.errors.length > 0) {
        return;
      }
      const doc = document.toJS();
      if (doc === null || doc === undefined) {
        return; // an empty document (a trailing ---)
      }
      documents++;
      if (typeof doc !== 'object' || Array.isArray(doc)) {
        problems.push(`${where}: not a Kubernetes object (a mapping with apiVersion and kind)`);
        return;
      }
      const label = `${where} ${describe(doc)}`;
      if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
        problems.push(`${label}: apiVersion and kind are required`);
        return;
      }
      if (!doc.metadata || typeof doc.metadata.name !== 'string' || doc.metadata.name === '') {
        problems.push(`${label}: metadata.name is required`);
      }
      const Model = modelFor(doc.apiVersion, doc.kind);
      if (Model === null) {
        problems.push(`${label}: no schema for ${doc.apiVersion} ${doc.kind} (unknown apiVersion or kind)`);
        return;
      }
      try {
        new Model(doc).validate();
      } catch (e) {
        const errors = Array.isArray(e.errors) ? e.errors : [{ instancePath: '', message: e.message }];
        for (const error of errors) {
          const at = (error.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || '(top level)';
          const params = error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
          problems.push(`${label}: ${at}: ${error.message}${params}`);
        }
      }
      const module = typesModuleFor(doc.apiVersion, doc.kind);
      if (module === null) {
        problems.push(`${label}: no type for ${doc.apiVersion} ${doc.kind} in kubernetes-types`);
        return;
      }
      typed.push({ label, module, kind: doc.kind, doc });
    });
  }

  problems.push(...unknownFields(typed));

  for (const problem of problems) {
    process.stdout.write(`INVALID ${problem}\n`);
  }
  const versions = ['kubernetes-models', 'kubernetes-types', 'typescript']
    .map((name) => `${name} ${require(`${name}/package.json`).version}`)
    .join(', ');
  process.stdout.write(`${documents} documents in ${files.length} files: `
    + `${problems.length === 0 ? 'all valid' : `${problems.length} problems`} (${versions})\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}

// Pass 2: one TypeScript source with a typed constant per document; excess property checks of
// object literals name every key the type does not declare, at any depth.
function unknownFields(typed) {
  if (typed.length === 0) {
    return [];
  }
  const lines = [];
  const owners = []; // line number (0-based) -> label
  const imports = new Map();
  typed.forEach((t) => {
    if (!imports.has(t.module)) {
      imports.set(t.module, `m${imports.size}`);
    }
  });
  for (const [module, alias] of imports) {
    lines.push(`import type * as ${alias} from ${JSON.stringify(module)};`);
    owners.push(null);
  }
  typed.forEach((t, i) => {
    const body = JSON.stringify(t.doc, null, 2).split('\n');
    body[0] = `export const doc${i}: ${imports.get(t.module)}.${t.kind} = ${body[0]}`;
    body[body.length - 1] += ';';
    for (const line of body) {
      lines.push(line);
      owners.push(t.label);
    }
  });
  const fileName = path.join(HERE, '__manifests__.ts');
  const source = lines.join('\n');
  const options = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  const getSourceFile = host.getSourceFile;
  // the source exists in memory only: nothing is written next to the manifests
  host.fileExists = ((exists) => (f) => path.resolve(f) === fileName || exists(f))(host.fileExists);
  host.readFile = (f) => (path.resolve(f) === fileName ? source : readFile(f));
  host.getSourceFile = (f, languageVersion, onError, shouldCreate) => (path.resolve(f) === fileName
    ? ts.createSourceFile(f, source, languageVersion, true)
    : getSourceFile(f, languageVersion, onError, shouldCreate));
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file && path.resolve(d.file.fileName) === fileName && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const text = lines[line].trim().replace(/[\s:,{[]+$/, '');
      return `${owners[line] || '(imports)'}: near ${text}: ${message}`;
    }
    return `(TypeScript) ${message}`;
  });
}

main();
