/**
 * Links a response DTO to the application's view it documents, in the one direction used for every
 * response: the VIEW (libs/application, what the use case returns) is the source of a response's
 * fields; the DTO class re-declares them only to carry the OpenAPI decorators, and declares
 *
 *     export class TokenResponse implements Mirror<TokenView, TokenResponse> { ... }
 *
 * so the compiler refuses any drift, and names the fields: one the view has and the DTO lacks, one the
 * DTO has and the view lacks (optional ones included), or one typed differently either way. The
 * dashboard's client is generated from the DTOs, so drift would mistype it.
 */
export type Mirror<View, Dto> = [Exclude<keyof View, keyof Dto>, Exclude<keyof Dto, keyof View>, Differing<View, Dto>] extends [
  never,
  never,
  never,
]
  ? Same<View, Dto> extends true
    ? View
    : { 'the DTO and the view differ in whether a field is optional': View }
  : {
      'fields missing from the DTO': Exclude<keyof View, keyof Dto>;
      'fields missing from the view': Exclude<keyof Dto, keyof View>;
      'fields typed differently': Differing<View, Dto>;
    };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Differing<View, Dto> = { [K in keyof View & keyof Dto]: Same<View[K], Dto[K]> extends true ? never : K }[keyof View & keyof Dto];

type KeysOfUnion<U> = U extends unknown ? keyof U : never;

/**
 * A view that is a union of object types (one shape per case) as the single object type its DTO
 * documents: a field not in every case is optional there.
 */
export type Merged<U> = Pick<U, keyof U> & {
  [K in Exclude<KeysOfUnion<U>, keyof U>]?: U extends unknown ? (K extends keyof U ? U[K] : never) : never;
};
