/** nopCommerce's AJAX add-to-cart route for the shopping cart (type 1), docs/nopcommerce/ADD-TO-CART.md. */
export const addToCartPath = (productId: number, quantity: number) => `/addproducttocart/catalog/${productId}/1/${quantity}`;

/** A product's page on the shop: its slug at the root. */
export const productPath = (slug: string) => `/${slug}`;
