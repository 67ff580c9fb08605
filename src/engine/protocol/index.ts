export * from './version'
export * from './error-codes'
export * from './messages'
