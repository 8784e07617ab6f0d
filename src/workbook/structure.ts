// Where things are in a workbook's package: the main part (named by _rels/.rels, xl/workbook.xml as every program
// writes it), its sheets in workbook order (the order of the tabs, not of the zip) with the parts their
// relationships point to, and the styles and shared-strings parts.

import path from 'node:path/posix';
import type { WorkbookPackage } from './package.js';

export interface SheetEntry {
  name: string;
  /** 1-based position in the workbook, as the tabs show it. */
  index: number;
  /** The worksheet's part, or undefined when its relationship leads nowhere (a chart sheet has one too). */
  part: string | undefined;
  /** 'visible', 'hidden' or 'veryHidden'. */
  state: string;
  /** Whether the part is a worksheet (a chart sheet or dialog sheet has no cells). */
  worksheet: boolean;
}

export interface WorkbookStructure {
  /** The main part, xl/workbook.xml; undefined when the package is not a workbook. */
  workbook: string | undefined;
  sheets: SheetEntry[];
  /** Dates count from 1904-01-01 (old Mac workbooks) rather than 1899-12-30. */
  date1904: boolean;
  styles: string | undefined;
  sharedStrings: string | undefined;
}

const relationType = (type: string | undefined) => (type ?? '').replace(/.*\//, '');

/** A relationship's target as a part name: relative to the folder of the part it belongs to, or absolute. */
function resolve(from: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : path.normalize(path.join(path.dirname(from), target));
}

/** The relationships of a part: id -> [type, part]. */
async function relationships(pkg: WorkbookPackage, part: string): Promise<Map<string, [string, string]>> {
  const relations = new Map<string, [string, string]>();
  const rels = path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);
  await pkg.read(rels, {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.Id === undefined || attributes.Target === undefined) return;
      if (attributes.TargetMode === 'External') return;
      relations.set(attributes.Id, [relationType(attributes.Type), resolve(part, attributes.Target)]);
    },
  });
  return relations;
}

export async function readStructure(pkg: WorkbookPackage): Promise<WorkbookStructure> {
  let workbook: string | undefined;
  for (const [type, part] of (await relationships(pkg, '')).values()) if (type === 'officeDocument' && pkg.has(part)) workbook = part;
  if (workbook === undefined && pkg.has('xl/workbook.xml')) workbook = 'xl/workbook.xml';
  const structure: WorkbookStructure = { workbook, sheets: [], date1904: false, styles: undefined, sharedStrings: undefined };
  if (workbook === undefined) return structure;

  const listed: { name: string; id: string | undefined; state: string }[] = [];
  await pkg.read(workbook, {
    open(name, attributes) {
      if (name === 'sheet') {
        // r:id, whatever the prefix of the relationships namespace is called
        const id = Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1];
        listed.push({ name: attributes.name ?? '', id, state: attributes.state ?? 'visible' });
      } else if (name === 'workbookPr') {
        structure.date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      }
    },
  });
  const relations = await relationships(pkg, workbook);
  for (const [type, part] of relations.values()) {
    if (type === 'styles') structure.styles = part;
    else if (type === 'sharedStrings') structure.sharedStrings = part;
  }
  structure.sheets = listed.map((sheet, i) => {
    const relation = sheet.id === undefined ? undefined : relations.get(sheet.id);
    return {
      name: sheet.name,
      index: i + 1,
      part: relation?.[1],
      state: sheet.state,
      worksheet: relation?.[0] === 'worksheet',
    };
  });
  return structure;
}
