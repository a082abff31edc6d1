import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<MetadataStorage['groupByPropertyName']>;

const cached = new WeakSet<MetadataStorage>();

/**
 * class-validator finds a DTO's rules on every validation by testing the DTO against every class that
 * has rules (`prototype instanceof`, for inherited ones), then groups them by property: with this API's
 * couple of hundred DTOs that was a twentieth of the api's CPU per issue in the bench's profile. The
 * rules are fixed once the modules are loaded, so both answers are kept per DTO class, and all of them
 * are forgotten whenever a rule is added. Validations with groups are not cached (this API uses none).
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  // Once per storage: every app a test process creates calls this.
  if (cached.has(storage)) return;
  cached.add(storage);
  let byTarget = new WeakMap<object, Map<string, TargetMetadatas>>();
  let grouped = new WeakMap<TargetMetadatas, Grouped>();
  const forget = (): void => {
    byTarget = new WeakMap();
    grouped = new WeakMap();
  };

  const find = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if ((groups && groups.length > 0) || typeof target !== 'function') return find(target, schema, always, strictGroups, groups);
    const key = `${schema}\u0000${always}\u0000${strictGroups}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = find(target, schema, always, strictGroups, groups)));
    return found;
  };

  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadatas) => {
    let result = grouped.get(metadatas);
    if (!result) grouped.set(metadatas, (result = group(metadatas)));
    return result;
  };

  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = storage[method].bind(storage) as (metadata: never) => void;
    storage[method] = ((metadata: never) => {
      forget();
      add(metadata);
    }) as never;
  }
}
