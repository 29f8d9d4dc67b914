// The app: structsync's defaults for the whole app, a pool of Orders, and both controllers.
import { Module } from '@nestjs/common';
import { StructSyncModule } from '@structsync/nestjs';
import { ClassicOrdersController } from './classic-orders.js';
import { OrdersController } from './orders.js';
import { Order } from './structs.js';

@Module({
  imports: [
    StructSyncModule.forRoot({ isGlobal: true, body: { tag: 'json' } }),
    // 16 concurrent requests need 16 records; growth covers bursts without a fixed ceiling.
    StructSyncModule.forFeature([Order], { capacity: 64, grow: { maxCapacity: 4096 } }),
  ],
  controllers: [OrdersController, ClassicOrdersController],
})
export class AppModule {}
