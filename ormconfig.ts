import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseConfig } from './src/config/parse-config.js';
import { dataSourceOptions } from './src/database/data-source-options.js';

// The TypeORM CLI's data source (npm run migration:*), built by the app's own parser.
export default new DataSource({
  ...dataSourceOptions(parseConfig(process.env).database),
  migrationsRun: false,
});
