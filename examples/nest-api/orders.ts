// POST /orders: the body as an Order view — bytes read in place, or JSON through fromMap into a
// pooled record — echoed as JSON or bytes as the client's Accept header asks (useStructBodies in
// main.ts encodes returned views). GET /debug/pool shows the pool the JSON bodies are taken from
// (back to inUse 0 once the responses are out).
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { Pool } from '@structsync/core';
import { InjectPool, StructBody } from '@structsync/nestjs';
import { Order } from './structs.js';

@Controller()
export class OrdersController {
  constructor(@InjectPool(Order) private readonly orders: Pool<Order>) {}

  @Post('orders')
  @HttpCode(200)
  create(@StructBody(Order) order: Order): Order {
    return order;
  }

  @Get('debug/pool')
  pool(): { struct: string; inUse: number; capacity: number } {
    return { struct: this.orders.layout.name, inUse: this.orders.inUse, capacity: this.orders.capacity };
  }
}
