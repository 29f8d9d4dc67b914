export declare class Stock {
  sku: string;
  qty: number;
  price: number;
}
