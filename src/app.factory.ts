import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module.js';
import { loginAdmission } from './auth/login-admission.js';
import { bodyParserErrors, jsonBodyParsing } from './common/body-parsing.js';
import { compileTrust } from './common/client-ip.js';
import { LifecycleService } from './common/lifecycle.service.js';
import { PinoLoggerService } from './common/logging/pino-logger.service.js';
import { assignRequestId, RequestWithId } from './common/request-id.js';
import { TimedExpressAdapter } from './common/timed-express-adapter.js';
import { AppConfig } from './config/app-config.js';
import { dashboardRouter } from './dashboard/serve-dashboard.js';
import { DASHBOARD_DIST_DIR } from './paths.js';
import { mountProxyEntry } from './proxy/mount-proxy-entry.js';
import { addProxyPaths } from './proxy/openapi-paths.js';

/** Builds the whole application (not yet listening): used by `bootstrap.ts` and the e2e tests alike. */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger),
    new TimedExpressAdapter(config),
    {
      bodyParser: false,
      logger: new PinoLoggerService(logger),
      abortOnError: false,
    },
  );
  configureHttp(app, config, logger);
  setUpSwagger(app);
  await app.init();
  mountProxyEntry(app);
  return app;
}

function configureHttp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  const lifecycle = app.get(LifecycleService);
  // Client IPs (login throttling, request logs) come from X-Forwarded-For only via TRUST_PROXY's hops.
  app.set('trust proxy', compileTrust(config.trustProxy));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] },
      },
    }),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: [...config.corsOrigins], maxAge: 600 });
  app.use((req: RequestWithId, res: import('express').Response, next: () => void) => {
    assignRequestId(req, res);
    lifecycle.track(res);
    next();
  });
  app.use(loginAdmission());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as RequestWithId).id as string,
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
      // A client that hung up (mid-upload included) is routine traffic: its one line is at info.
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (req.readableAborted) return 'info';
        return res.statusCode >= 400 ? 'warn' : 'info';
      },
      serializers: {
        req: (req: {
          id: string;
          method: string;
          url: string;
          headers: Record<string, unknown>;
          remoteAddress?: string;
        }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          headers: req.headers,
          remoteAddress: req.remoteAddress,
        }),
      },
    }),
  );
  app.use('/dashboard', dashboardRouter(DASHBOARD_DIST_DIR));
  app.use(
    ...jsonBodyParsing({ limitBytes: config.bodyLimitBytes, readTimeoutMs: config.bodyReadTimeoutMs }),
    bodyParserErrors,
  );
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
}

function setUpSwagger(app: NestExpressApplication): void {
  const document = addProxyPaths(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Switchyard')
        .setDescription(
          'OpenAI-compatible LLM API gateway: the inbound /v1 API, the admin API and operations endpoints.',
        )
        .setVersion(process.env.npm_package_version ?? '0.1.0')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('swagger', app, document, { jsonDocumentUrl: 'swagger-json' });
}
