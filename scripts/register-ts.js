// Lets plain `node` load TypeScript for the TypeORM CLI (ormconfig.ts and the migrations).
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('ts-node/esm', pathToFileURL('./'));
