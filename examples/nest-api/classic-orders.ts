// POST /classic/orders: the same endpoint written the way NestJS apps usually are — a
// class-transformer / class-validator DTO with the struct's constraints, checked by the
// ValidationPipe that main.ts installs globally, and the validated DTO echoed as JSON.
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { LINE_ITEMS } from './structs.js';

export class CustomerDto {
  @IsInt() @Min(0) @Max(4294967295) id!: number;
  @IsString() @MaxLength(32) name!: string;
  @IsString() @MaxLength(48) email!: string;
  @IsInt() @Min(0) @Max(255) tier!: number;
}

export class LineItemDto {
  @IsString() @MaxLength(16) sku!: string;
  @IsString() @MaxLength(48) title!: string;
  @IsInt() @Min(0) @Max(65535) qty!: number;
  @IsInt() @Min(0) @Max(4294967295) price!: number;
  @IsInt() @Min(0) @Max(255) discount!: number;
}

export class OrderDto {
  @IsInt() @Min(Number.MIN_SAFE_INTEGER) @Max(Number.MAX_SAFE_INTEGER) id!: number;
  @ValidateNested() @Type(() => CustomerDto) customer!: CustomerDto;
  @ArrayMinSize(LINE_ITEMS) @ArrayMaxSize(LINE_ITEMS) @ValidateNested({ each: true }) @Type(() => LineItemDto) items!: LineItemDto[];
  @IsString() @MaxLength(200) note!: string;
}

@Controller('classic/orders')
export class ClassicOrdersController {
  @Post()
  @HttpCode(200)
  create(@Body() order: OrderDto): OrderDto {
    return order;
  }
}
