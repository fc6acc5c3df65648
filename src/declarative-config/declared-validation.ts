// The admin API's own field rules (its DTO classes, as the ValidationPipe applies them) run on
// each declared entry before anything is written, and their messages speak the file's names.
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { GROUP_FILE_FIELDS, PROXY_KEY_FILE_FIELDS, DeclaredEntry } from '../config/declared-config.js';

type DtoClass<T> = new () => T;

// API field → file field, for rewriting messages; `key` is never a DTO field (it is not validated here).
const FILE_NAMES = new Map(
  [...Object.entries(GROUP_FILE_FIELDS), ...Object.entries(PROXY_KEY_FILE_FIELDS)].map(([file, api]) => [
    api,
    file,
  ]),
);

/** The entry's body as the DTO instance the admin API would pass its service, or its problems. */
export function validateDeclared<T extends object>(
  dto: DtoClass<T>,
  entry: DeclaredEntry,
  body: Record<string, unknown>,
): { value: T; problems: string[] } {
  const value = plainToInstance(dto, body);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, problems: errors.flatMap(messagesOf).map((message) => describeProblem(entry, message)) };
}

/** `Groups[0] "openai-primary": RetryCount must not be greater than 10`, in the file's field names. */
export function describeProblem(entry: Pick<DeclaredEntry, 'where' | 'name'>, message: string): string {
  return `${entry.where}${entry.name ? ` "${entry.name}"` : ''}: ${inFileNames(message)}`;
}

/** Rewrites the admin API's field names in a message (`retryCount`, `each of apiKeys`) to the file's. */
export function inFileNames(message: string): string {
  let text = message;
  for (const [api, file] of FILE_NAMES) {
    // A camelCase name is unambiguous anywhere; a plain word (`timeout`, `name`) only as the subject.
    text = /[A-Z]/.test(api)
      ? text.replace(new RegExp(`\\b${api}\\b`, 'g'), file)
      : text.replace(
          new RegExp(`^(each of )?${api}\\b`),
          (_m, each: string | undefined) => `${each ?? ''}${file}`,
        );
  }
  return text;
}

function messagesOf(error: ValidationError): string[] {
  const own = Object.values(error.constraints ?? {});
  const nested = (error.children ?? []).flatMap((child) =>
    messagesOf(child).map((message) =>
      message.startsWith(`${error.property}.`) ? message : `${error.property}.${message}`,
    ),
  );
  return [...own, ...nested];
}
