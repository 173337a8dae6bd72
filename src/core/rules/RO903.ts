import type { Rule } from '../rule.js';
import type { ParsedDockerfile } from '../parse/dockerfile.js';

export const rule: Rule = {
  id: 'RO903',
  name: 'exec-form-not-json',
  severity: 'warning',
  summary: 'an instruction written as an exec-form list is not valid JSON, so Docker runs it as shell text',
  rationale:
    "Docker takes RUN, CMD, ENTRYPOINT, COPY and ADD arguments as exec form only when they parse as a JSON array of strings; anything else is shell form. `CMD ['python', 'app.py']` (single quotes), a trailing comma or a number in the list is handed to `/bin/sh -c` as the text `['python', 'app.py']`, which fails when the container starts (or the build, for RUN). A shell command that starts with the `[` test command is not affected.",
  fix: 'write the list as JSON: double quotes, commas between items, strings only',
  examples: { lang: 'dockerfile', bad: "CMD ['python', 'app.py']", good: 'CMD ["python", "app.py"]' },
  check(ctx) {
    const seen = new Set<ParsedDockerfile>();
    for (const parsed of [...ctx.project.dockerfiles.values(), ...ctx.project.imageUses.map((u) => u.image.parsed)]) {
      if (seen.has(parsed)) continue;
      seen.add(parsed);
      for (const m of parsed.execFormMistakes) {
        ctx.report(m.loc, { message: `${m.keyword} is written as an exec-form list but is ${m.why}: Docker runs it through /bin/sh -c as text` });
      }
    }
  },
};
