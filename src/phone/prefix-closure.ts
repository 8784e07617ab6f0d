// Which prefixes can begin a match of a given length of a numbering-plan pattern. libphonenumber's patterns use a
// small regular expression language (digits, \d, [classes], (?:groups), |, {n}, {n,m}, ?); this parses it, takes
// the derivative of the pattern by the prefix (what is left to match after it) and checks whether what is left can
// be as long as the rest of the number. So a 3-digit start can be ruled out once instead of testing every number.

type Node =
  | { kind: 'empty' } // matches only the empty string
  | { kind: 'none' } // matches nothing
  | { kind: 'class'; source: string }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; item: Node; min: number; max: number };

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at !== this.text.length) throw new Error(`unexpected '${this.text[this.at]}' at ${this.at} in ${this.text}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.text[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.text.length && this.text[this.at] !== '|' && this.text[this.at] !== ')') items.push(this.quantified());
    return { kind: 'seq', items };
  }

  private quantified(): Node {
    const item = this.atom();
    const c = this.text[this.at];
    if (c === '?') {
      this.at++;
      return { kind: 'repeat', item, min: 0, max: 1 };
    }
    if (c === '{') {
      const close = this.text.indexOf('}', this.at);
      const [min, max] = this.text.slice(this.at + 1, close).split(',');
      this.at = close + 1;
      return { kind: 'repeat', item, min: Number(min), max: Number(max ?? min) };
    }
    if (c === '*' || c === '+') throw new Error(`unbounded repetition in ${this.text}`);
    return item;
  }

  private atom(): Node {
    const c = this.text[this.at];
    if (c === '(') {
      if (this.text.slice(this.at, this.at + 3) !== '(?:') throw new Error(`capturing group in ${this.text}`);
      this.at += 3;
      const inner = this.alternation();
      if (this.text[this.at] !== ')') throw new Error(`unclosed group in ${this.text}`);
      this.at++;
      return inner;
    }
    if (c === '[') {
      const close = this.text.indexOf(']', this.at);
      const source = this.text.slice(this.at, close + 1);
      this.at = close + 1;
      return { kind: 'class', source };
    }
    if (c === '\\') {
      const source = this.text.slice(this.at, this.at + 2);
      if (source !== '\\d') throw new Error(`unsupported escape ${source} in ${this.text}`);
      this.at += 2;
      return { kind: 'class', source };
    }
    if (c !== undefined && c >= '0' && c <= '9') {
      this.at++;
      return { kind: 'class', source: c };
    }
    throw new Error(`unsupported '${c}' at ${this.at} in ${this.text}`);
  }
}

const classes = new Map<string, RegExp>();
function inClass(source: string, char: string): boolean {
  let regex = classes.get(source);
  if (regex === undefined) classes.set(source, (regex = new RegExp(`^${source}$`)));
  return regex.test(char);
}

const none: Node = { kind: 'none' };
const empty: Node = { kind: 'empty' };

function alt(options: Node[]): Node {
  const kept = options.filter((option) => option.kind !== 'none');
  return kept.length === 0 ? none : kept.length === 1 ? (kept[0] as Node) : { kind: 'alt', options: kept };
}

function seq(items: Node[]): Node {
  if (items.some((item) => item.kind === 'none')) return none;
  const kept = items.filter((item) => item.kind !== 'empty');
  return kept.length === 0 ? empty : kept.length === 1 ? (kept[0] as Node) : { kind: 'seq', items: kept };
}

/** What `node` still has to match after `char`, simplified as it goes so that dead branches drop out. */
function derive(node: Node, char: string): Node {
  switch (node.kind) {
    case 'empty':
    case 'none':
      return none;
    case 'class':
      return inClass(node.source, char) ? empty : none;
    case 'alt':
      return alt(node.options.map((option) => derive(option, char)));
    case 'seq': {
      const [head, ...rest] = node.items;
      if (head === undefined) return none;
      const first = seq([derive(head, char), ...rest]);
      return lengths(head) & 1 ? alt([first, derive(seq(rest), char)]) : first;
    }
    case 'repeat':
      if (node.max === 0) return none;
      return seq([derive(node.item, char), node.max === 1 ? empty : { kind: 'repeat', item: node.item, min: Math.max(0, node.min - 1), max: node.max - 1 }]);
  }
}

const lengthMemo = new WeakMap<Node, number>();

/** The lengths `node` can match, as a bit set (bit n: length n), up to 30. */
function lengths(node: Node): number {
  let set = lengthMemo.get(node);
  if (set === undefined) lengthMemo.set(node, (set = computeLengths(node)));
  return set;
}

function computeLengths(node: Node): number {
  switch (node.kind) {
    case 'empty':
      return 1;
    case 'none':
      return 0;
    case 'class':
      return 2;
    case 'alt':
      return node.options.reduce((set, option) => set | lengths(option), 0);
    case 'seq':
      return node.items.reduce((set, item) => sumSet(set, lengths(item)), 1);
    case 'repeat': {
      const one = lengths(node.item);
      let power = 1;
      let set = 0;
      for (let k = 0; k <= node.max; k++) {
        if (k >= node.min) set |= power;
        power = sumSet(power, one);
      }
      return set;
    }
  }
}

function sumSet(a: number, b: number): number {
  let out = 0;
  for (let i = 0; i < 31; i++) if (a & (1 << i)) out |= (b << i) & 0x7fffffff;
  return out;
}

/**
 * The starts of `digits` digits that some match of `pattern` (libphonenumber's syntax, unanchored source) of
 * exactly `length` characters can have: a set of strings.
 */
export function possibleStarts(pattern: string, length: number, digits: number): Set<string> {
  const starts = new Set<string>();
  const walk = (node: Node, prefix: string): void => {
    if (node.kind === 'none' || (lengths(node) & (1 << (length - prefix.length))) === 0) return;
    if (prefix.length === digits) {
      starts.add(prefix);
      return;
    }
    for (let d = 0; d <= 9; d++) walk(derive(node, String(d)), prefix + d);
  };
  walk(new Parser(pattern).parse(), '');
  return starts;
}
