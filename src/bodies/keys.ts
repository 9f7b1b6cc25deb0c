/** R2 keys group a tenant's mail under its customer id: deleting a customer is one prefix. */
export function messageKey(customerId: string, messageId: string): string {
	return `c/${customerId}/m/${messageId}.eml`;
}
