// Every view module, imported for its registerView side effect.
export {};
