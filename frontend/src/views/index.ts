// Every view module, imported for its registerView side effect.
import './accounts';
import './files';
import './mail';
export {};
