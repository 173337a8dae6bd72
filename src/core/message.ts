/**
 * Messages with code spans. A rule writes a message (or a fix) as a template tagged `msg`: the backticks in the
 * template's own text mark code spans, and the values put into it (names, paths, values read from the repository)
 * are plain text wherever they stand, even when they hold backticks. `text` is exactly what the untagged template
 * gives (the text, JSON and SARIF reports show it); `parts` let the Markdown reports show our code spans as code and
 * escape everything else. A plain string carries no parts: it is shown escaped as a whole.
 */

export interface MessagePart {
  /** A code span of our template (its text may hold values put into it), else prose. */
  code: boolean;
  text: string;
}

export interface Message {
  readonly text: string;
  readonly parts: readonly MessagePart[];
}

export function msg(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): Message {
  const parts: MessagePart[] = [];
  let text = '';
  let code = false;
  let current = '';
  const close = (): void => {
    if (current) parts.push({ code, text: current });
    current = '';
  };
  strings.forEach((literal, i) => {
    text += literal;
    literal.split('`').forEach((piece, j) => {
      if (j > 0) {
        close();
        code = !code;
      }
      current += piece;
    });
    if (i < values.length) {
      const v = values[i];
      if (isMessage(v)) {
        // A message of ours put into another keeps its code spans (inside a code span it is text).
        text += v.text;
        if (code) current += v.text;
        else {
          close();
          parts.push(...v.parts);
        }
      } else {
        text += String(v);
        current += String(v);
      }
    }
  });
  // A template with an unclosed backtick has no code spans: all of it is prose.
  if (code) return { text, parts: text ? [{ code: false, text }] : [] };
  close();
  return { text, parts };
}

/** Messages joined with a separator (prose), keeping each one's code spans. */
export function joinMessages(list: readonly Message[], separator: string): Message {
  const parts: MessagePart[] = [];
  list.forEach((m, i) => {
    if (i > 0 && separator) parts.push({ code: false, text: separator });
    parts.push(...m.parts);
  });
  return { text: list.map((m) => m.text).join(separator), parts };
}

/** A literal of ours (a rule's static fix text), read as a template without values. */
export function literal(text: string): Message {
  return msg([text]);
}

export function isMessage(x: unknown): x is Message {
  return typeof x === 'object' && x !== null && typeof (x as Message).text === 'string' && Array.isArray((x as Message).parts);
}
