// Starts the example API: `node examples/dist/nest-api/main.js`, with PORT (default 3000; 0 picks
// a free one) and ADAPTER=express|fastify (default fastify).
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { useStructBodies } from '@structsync/nestjs';
import { AppModule } from './app-module.js';

const port = Number(process.env.PORT ?? 3000);
const adapterName = process.env.ADAPTER ?? 'fastify';
if (adapterName !== 'express' && adapterName !== 'fastify') {
  console.error(`ADAPTER must be express or fastify, got ${adapterName}`);
  process.exit(2);
}

// An Order is 3032 bytes, or about 4 KB of JSON: no body needs more than 64 KB.
const bodyLimit = 64 * 1024;
const adapter = adapterName === 'express' ? new ExpressAdapter() : new FastifyAdapter({ bodyLimit });
const app: INestApplication = await NestFactory.create(AppModule, adapter, { logger: ['error', 'warn'] });
if (adapterName === 'express') (app as NestExpressApplication).useBodyParser('json', { limit: bodyLimit });
// Binary bodies (application/octet-stream) arrive as one Buffer; returned views go out as bytes
// for Accept: application/octet-stream, as JSON otherwise.
useStructBodies(app, { limit: bodyLimit });
app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
app.enableShutdownHooks();
await app.listen(port, '127.0.0.1');
const { port: listening } = app.getHttpServer().address() as AddressInfo;
console.log(`listening on http://127.0.0.1:${listening}`);
