namespace Lakehouse.Pipeline.Demo;

public static partial class DemoData
{
    /// <summary>
    /// The demo's <c>lakehouse.yaml</c>: the three sources <see cref="Generate"/> writes (columns, keys, sequence,
    /// delete flag, cleaning, row expectations), table checks for silver and gold, and the three gold models over
    /// them. Paths are relative (<c>./lakehouse-data</c>, <c>./landing</c>); write the file next to the landing zone.
    /// </summary>
    /// <remarks>
    /// What the expectations catch in the generated data: truncated lines (no order id), orders without a customer,
    /// a quantity that is not a number (the cast yields null) and negative amounts go to quarantine; a customer
    /// without an email is only counted. The orders of unknown customers pass the row expectations and make the
    /// <c>customer_exists</c> relationship check warn. Customers are kept as SCD type 2 history (a segment change closes
    /// the customer's current row and opens a new one); checks and gold models read the current rows.
    /// </remarks>
    public const string PipelineFile = """
        name: demo
        warehouse: ./lakehouse-data
        landing: ./landing
        schedule: "0 */4 * * *"
        sources:
          - name: orders
            format: json
            path: orders
            schema: "order_id STRING, customer_id STRING, product_id STRING, quantity STRING, amount STRING, status STRING, order_ts STRING, updated_at STRING, is_deleted STRING"
            business_key: [order_id]
            sequence: updated_at
            delete_flag: is_deleted
            event_time: order_ts
            clean:
              trim: [order_id, customer_id, product_id, status]
              lower: [status]
              cast: { quantity: int, amount: "decimal(12,2)", order_ts: timestamp, updated_at: timestamp, is_deleted: boolean }
              defaults: { status: unknown }
            expectations:
              - { name: has_order_id, condition: "order_id IS NOT NULL", action: quarantine }
              - { name: has_customer, condition: "customer_id IS NOT NULL", action: quarantine }
              - { name: valid_quantity, condition: "quantity IS NOT NULL AND quantity > 0", action: quarantine }
              - { name: amount_not_negative, condition: "amount >= 0", action: quarantine }
          - name: customers
            format: csv
            path: customers
            options: { header: "true" }
            schema: "customer_id STRING, name STRING, email STRING, country STRING, region STRING, segment STRING, signup_date STRING, updated_at STRING"
            business_key: [customer_id]
            sequence: updated_at
            scd2: true
            clean:
              trim: [customer_id, name, email, country, region, segment]
              lower: [email, segment]
              cast: { signup_date: date, updated_at: timestamp }
            expectations:
              - { name: has_customer_id, condition: "customer_id IS NOT NULL", action: quarantine }
              - { name: has_email, condition: "email IS NOT NULL", action: warn }
          - name: products
            format: json
            path: products
            schema: "product_id STRING, name STRING, category STRING, price STRING, updated_at STRING"
            business_key: [product_id]
            sequence: updated_at
            clean:
              trim: [product_id, name, category]
              lower: [category]
              cast: { price: "decimal(10,2)", updated_at: timestamp }
            expectations:
              - { name: has_product_id, condition: "product_id IS NOT NULL", action: quarantine }
              - { name: price_not_negative, condition: "price >= 0", action: quarantine }
        checks:
          silver.orders:
            - { name: order_id_not_null, type: not_null, columns: [order_id, customer_id, product_id], severity: critical }
            - { name: order_id_unique, type: unique, columns: [order_id], severity: critical }
            - { name: status_values, type: accepted_values, column: status, values: [placed, shipped, delivered, cancelled, returned, unknown], severity: warning }
            - { name: amount_range, type: range, column: amount, min: 0, max: 100000, severity: warning }
            - { name: quantity_range, type: range, column: quantity, min: 1, max: 1000, severity: warning }
            - { name: customer_exists, type: relationship, column: customer_id, to: silver.customers, to_column: customer_id, severity: warning }
            - { name: product_exists, type: relationship, column: product_id, to: silver.products, to_column: product_id, severity: critical }
            - { name: fresh_orders, type: freshness, column: order_ts, max_age_hours: 48, severity: warning }
            - { name: volume, type: row_count_change, max_change_percent: 50, severity: warning }
          silver.customers:
            - { name: customer_id_not_null, type: not_null, columns: [customer_id], severity: critical }
            - { name: customer_id_unique, type: unique, columns: [customer_id], severity: critical }
            - { name: segment_values, type: accepted_values, column: segment, values: [consumer, small_business, corporate], severity: warning }
            - { name: region_values, type: accepted_values, column: region, values: [NA, LATAM, EMEA, APAC], severity: warning }
          silver.products:
            - { name: product_id_unique, type: unique, columns: [product_id], severity: critical }
            - { name: price_range, type: range, column: price, min: 0, max: 10000, severity: warning }
          gold.customer_360:
            - { name: customer_unique, type: unique, columns: [customer_id], severity: critical }
            - { name: lifetime_value_range, type: range, column: lifetime_value, min: 0, severity: warning }
          gold.product_performance:
            - { name: product_unique, type: unique, columns: [product_id], severity: critical }
          gold.daily_revenue:
            - { name: day_unique, type: unique, columns: [order_date], severity: critical }
            - { name: revenue_range, type: range, column: revenue, min: 0, severity: warning }
        gold:
          - { name: customer_360, inputs: [silver.orders, silver.customers] }
          - { name: product_performance, inputs: [silver.orders, silver.products] }
          - { name: daily_revenue, inputs: [silver.orders] }
        """;
}
