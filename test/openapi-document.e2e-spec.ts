import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestApp, TestApp } from './support/test-app.js';

// The OpenAPI document is what client generators and the Swagger UI read: it must validate as
// OpenAPI 3, and every property must say what it holds (an untyped or bare `object` field is
// what a `string | null` TypeScript union becomes without an explicit type).

type Schema = Record<string, unknown>;
const CONCRETE = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Paths (`GroupDto.baseUrl`) of properties whose schema does not name a concrete type. */
export function untypedProperties(schema: unknown, at: string, found: string[] = []): string[] {
  if (typeof schema !== 'object' || schema === null) return found;
  const node = schema as Schema;
  const properties = node.properties as Record<string, Schema> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const path = `${at}.${name}`;
    if (!isConcrete(property)) found.push(path);
    untypedProperties(property, path, found);
  }
  if (node.items) untypedProperties(node.items, `${at}[]`, found);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const)
    for (const part of (node[key] as unknown[] | undefined) ?? []) untypedProperties(part, at, found);
  return found;
}

function isConcrete(property: Schema): boolean {
  if (property.$ref || property.allOf || property.oneOf || property.anyOf) return true;
  if (typeof property.type !== 'string' || !CONCRETE.has(property.type)) return false;
  if (property.type === 'array') return isConcrete((property.items as Schema | undefined) ?? {});
  if (property.type === 'object') return Boolean(property.properties || property.additionalProperties);
  return true;
}

describe('OpenAPI document', () => {
  let sut: TestApp;
  let document: Schema;

  beforeAll(async () => {
    sut = await startTestApp({ engine: 'sqlite' });
    document = (await sut.http().get('/swagger-json').expect(200)).body as Schema;
  });
  afterAll(() => sut.close());

  it('validates as OpenAPI 3', async () => {
    expect(document.openapi).toMatch(/^3\./);
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('gives every property of every schema a concrete type', () => {
    const schemas = (document.components as { schemas: Record<string, Schema> }).schemas;
    const untyped = Object.entries(schemas).flatMap(([name, schema]) => untypedProperties(schema, name));
    expect(untyped).toEqual([]);
  });

  it('gives every property of the inline request and response schemas a concrete type', () => {
    const untyped: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'schema') untypedProperties(value, `${at}.schema`, untyped);
        else visit(value, `${at}.${key}`);
      }
    };
    visit(document.paths, 'paths');
    expect(untyped).toEqual([]);
  });

  it('types the group fields that accept null as their value type, nullable', () => {
    const group = (document.components as { schemas: Record<string, Schema> }).schemas.GroupDto;
    const properties = group.properties as Record<string, Schema>;
    expect(properties.baseUrl).toMatchObject({ type: 'string', nullable: true });
    expect(properties.retryCount).toMatchObject({ type: 'integer', nullable: true });
    expect(properties.weight).toMatchObject({ type: 'number', nullable: true });
    expect(properties.enabled).toMatchObject({ type: 'boolean', nullable: true });
    expect(properties.apiVersion).toMatchObject({ type: 'string', nullable: true });
  });

  it('finds an untyped property when there is one (the check can fail)', () => {
    expect(
      untypedProperties(
        { properties: { a: { type: 'object' }, b: { type: 'string' }, c: { type: 'array', items: {} } } },
        'X',
      ),
    ).toEqual(['X.a', 'X.c']);
  });
});
