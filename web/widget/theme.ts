// One palette for the widget and the hosted page: the rule lives with the storefront domain.
export { palette, type Palette } from '../../shared/domain/storefront/palette';
