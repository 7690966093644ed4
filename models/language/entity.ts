/** What the engine can answer with: an item of the catalogue, a FAQ entry or a place of the hall. */
import type { FaqEntry, Place, ServiceItem } from '../../config/schema.ts';
import type { Unit } from './pinyin.ts';

interface EntityBase {
  id: string;
  title: string;
  /** Same kind and title: the visitor cannot tell these apart; one stands for all. */
  sameAs: string;
}

export interface ItemEntity extends EntityBase {
  kind: 'item';
  item: ServiceItem;
  /** Items that are lookups (…查询、…下载): a visitor at a hall rarely means them unless they say 查. */
  lookup: boolean;
  /** Operations other than a first application that the name states (注销, 补发…). */
  ops: string[];
  /** Each sub-case's name, in canonical words. */
  caseUnits: Unit[][];
}

export interface FaqEntity extends EntityBase {
  kind: 'faq';
  faq: FaqEntry;
}

export interface PlaceEntity extends EntityBase {
  kind: 'place';
  place: Place;
}

export type Entity = ItemEntity | FaqEntity | PlaceEntity;
